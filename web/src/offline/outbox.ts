import { reactive } from "vue";
import { ApiError, gql } from "../api/client";
import { graphql } from "../gql";
import type {
  IssueStockInput,
  ReceiveStockInput,
  RecordTestRunInput,
  StockCountInput,
  WriteOffStockInput,
} from "../gql/graphql";
import type { Label } from "../../../src/domain/shared/labels";

const ISSUE = graphql(`
  mutation OutboxIssue($input: IssueStockInput!) {
    issueStock(input: $input) {
      movements {
        id
      }
      userErrors {
        code
        field
        message
      }
    }
  }
`);
const RECEIVE = graphql(`
  mutation OutboxReceive($input: ReceiveStockInput!) {
    receiveStock(input: $input) {
      movements {
        id
      }
      userErrors {
        code
        field
        message
      }
    }
  }
`);
const WRITE_OFF = graphql(`
  mutation OutboxWriteOff($input: WriteOffStockInput!) {
    writeOffStock(input: $input) {
      movements {
        id
      }
      request {
        id
        status
      }
      userErrors {
        code
        field
        message
      }
    }
  }
`);
const TEST_RUN = graphql(`
  mutation OutboxTestRun($input: RecordTestRunInput!) {
    recordTestRun(input: $input) {
      testRun {
        performedOn
      }
      userErrors {
        code
        field
        message
      }
    }
  }
`);
const START_COUNT = graphql(`
  mutation OutboxStartCount($input: StartStockTakeInput!) {
    startStockTake(input: $input) {
      stockTake {
        id
      }
      userErrors {
        code
        field
        message
      }
    }
  }
`);
const SUBMIT_COUNT = graphql(`
  mutation OutboxSubmitCount($input: SubmitStockTakeInput!) {
    submitStockTake(input: $input) {
      stockTake {
        id
        status
      }
      userErrors {
        code
        field
        message
      }
    }
  }
`);

/** What a keeper records, as it waits to be sent: the input already carries its idempotency key. */
export type Entry =
  | { kind: "issue"; input: IssueStockInput }
  | { kind: "receive"; input: ReceiveStockInput }
  | { kind: "writeOff"; input: WriteOffStockInput }
  | { kind: "testRun"; input: RecordTestRunInput }
  | { kind: "count"; input: { depotId: string; idempotencyKey: string; counts: StockCountInput[] } };

export interface Waiting {
  /** The idempotency key, made once when the entry was recorded: sending it again never records it twice. */
  key: string;
  entry: Entry;
  /** What the screen says the entry is. */
  summary: Label;
  recordedAt: string;
  /** Set when the server refused it: the entry stays until the keeper discards it. */
  refused: { code: string; field: string[]; message: string } | null;
}

type Refusal = Waiting["refused"];

/** Sends one entry; the refusal the server gave, or null once it is recorded. Network trouble throws. */
async function send(entry: Entry): Promise<Refusal> {
  switch (entry.kind) {
    case "issue":
      return (await gql(ISSUE, { input: entry.input })).issueStock.userErrors[0] ?? null;
    case "receive":
      return (await gql(RECEIVE, { input: entry.input })).receiveStock.userErrors[0] ?? null;
    case "writeOff":
      return (await gql(WRITE_OFF, { input: entry.input })).writeOffStock.userErrors[0] ?? null;
    case "testRun":
      return (await gql(TEST_RUN, { input: entry.input })).recordTestRun.userErrors[0] ?? null;
    case "count":
      return sendCount(entry.input);
  }
}

/** A count is two commands, each under a key derived from the entry's own, so a retry repeats neither. */
async function sendCount(input: Extract<Entry, { kind: "count" }>["input"]): Promise<Refusal> {
  const { startStockTake } = await gql(START_COUNT, {
    input: { depotId: input.depotId, idempotencyKey: `${input.idempotencyKey}:start` },
  });
  const started = startStockTake.stockTake;
  if (!started) return startStockTake.userErrors[0] ?? null;
  const { submitStockTake } = await gql(SUBMIT_COUNT, {
    input: {
      stockTakeId: started.id,
      counts: input.counts,
      idempotencyKey: `${input.idempotencyKey}:submit`,
    },
  });
  return submitStockTake.userErrors[0] ?? null;
}

const RETRY_MS = 15_000;

/**
 * The keeper's unsent entries, kept in this browser (localStorage) until the server acknowledges each, so a weak
 * village network neither loses an entry nor records it twice. One outbox per person on this browser.
 */
export function createOutbox(username: string, onSent: () => void) {
  const storeKey = `reserve-ledger.outbox.${username}`;
  const read = (): Waiting[] => {
    try {
      return JSON.parse(localStorage.getItem(storeKey) ?? "[]") as Waiting[];
    } catch {
      return [];
    }
  };
  const state = reactive({ waiting: read(), sending: false, offline: false });
  const save = () => localStorage.setItem(storeKey, JSON.stringify(state.waiting));

  async function flush(): Promise<void> {
    if (state.sending) return;
    state.sending = true;
    let sent = false;
    try {
      for (const w of state.waiting.filter((x) => !x.refused)) {
        const refused = await send(w.entry);
        state.offline = false;
        if (refused) w.refused = refused;
        else state.waiting.splice(state.waiting.indexOf(w), 1);
        sent ||= !refused;
        save();
      }
    } catch (e) {
      // the entry stays, unchanged, under the same key: the next attempt is the same request
      if (!(e instanceof ApiError) || e.code === "NETWORK" || e.code === "SERVICE_UNAVAILABLE")
        state.offline = true;
      else throw e;
    } finally {
      state.sending = false;
      if (sent) onSent();
    }
  }

  const timer = setInterval(() => void flush(), RETRY_MS);
  const online = () => void flush();
  window.addEventListener("online", online);

  return {
    state,
    /**
     * Records an entry under a new idempotency key and tries to send it at once. Answers the entry as it stands
     * then (still waiting, or refused), or null once the server has recorded it.
     */
    async record(make: (key: string) => Entry, summary: Label): Promise<Waiting | null> {
      const key = crypto.randomUUID();
      state.waiting.push({
        key,
        entry: make(key),
        summary,
        recordedAt: new Date().toISOString(),
        refused: null,
      });
      save();
      await flush();
      return state.waiting.find((w) => w.key === key) ?? null;
    },
    discard(key: string) {
      state.waiting = state.waiting.filter((w) => w.key !== key);
      save();
    },
    flush,
    close() {
      clearInterval(timer);
      window.removeEventListener("online", online);
    },
  };
}
