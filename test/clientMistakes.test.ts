import { createHash } from "node:crypto";
import { request } from "node:http";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MAX_SUBJECT_LENGTH, signLocalToken } from "../src/auth/tokens.js";
import type { Database } from "../src/db/client.js";
import { aCounty, anItem, type Item, type ProvisionedCounty } from "./support/factories.js";
import { startTestService, TEST_SECRET } from "./support/service.js";
import { query, sql } from "./support/sql.js";
import { stockAt } from "./support/stockFactories.js";

// The caller's mistakes answer with a code of their own, never INTERNAL_SERVER_ERROR or HTTP 500, and log no error.

interface Logged {
  url: string;
  database: Database;
  /** A county of its own in this service's database: one township with its depot and keeper, one item. */
  county: ProvisionedCounty;
  /** Log entries at level error or above since the service started. */
  errorLogs: () => { msg: string }[];
  stop: () => Promise<void>;
}

/** The service on a fresh database with a county of its own, its log kept for the test to read. */
async function startLogged(env: Record<string, string>): Promise<Logged> {
  const entries: { level: number; msg: string }[] = [];
  const logger = pino({ level: "debug" }, { write: (line: string) => void entries.push(JSON.parse(line)) });
  const service = await startTestService({ env, logger });
  const county = await aCounty(service, { townships: 1, items: [{}] });
  return {
    url: service.url,
    database: service.database,
    county,
    errorLogs: () => entries.filter((e) => e.level >= 50),
    stop: () => service.stop(),
  };
}

const secret = new TextEncoder().encode(TEST_SECRET);
const bearer = async (subject: string) => `Bearer ${await signLocalToken(secret, subject)}`;

interface Answer {
  status: number;
  headers: Headers;
  body: {
    data?: Record<string, unknown> | null;
    errors?: { message: string; extensions?: { code?: string } }[];
  };
}

async function post(url: string, body: unknown, headers: Record<string, string> = {}): Promise<Answer> {
  const res = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
  return { status: res.status, headers: res.headers, body: (await res.json()) as Answer["body"] };
}

const codes = (a: Answer) => a.body.errors?.map((e) => e.extensions?.code);

let svc: Logged;
/** Bearer headers of the county's officer and of its township depot's keeper. */
let officer: string;
let keeper: string;
const depotOf = (l: Logged) => l.county.townships[0]!.depot;

beforeAll(async () => {
  svc = await startLogged({ NODE_ENV: "test" });
  officer = await bearer(svc.county.officer);
  keeper = await bearer(depotOf(svc).keeper);
});
afterAll(() => svc.stop());

const ledgerLength = async () =>
  (await query<{ n: number }>(svc.database, sql`select count(*)::int as n from movements`))[0]!.n;

/** A receipt at the township depot: what a mistaken request must not have written. */
const RECEIPT = {
  query: `mutation($input: ReceiveStockInput!) { receiveStock(input: $input) { userErrors { code } } }`,
  variables: {
    input: {
      depotId: "",
      itemId: "",
      quantity: "100",
      lotCode: "CM-MISTAKE",
      receivedOn: "2026-11-20",
      source: "PURCHASE",
      reason: "不应入账",
      idempotencyKey: "client-mistake-1",
    },
  },
};
const receipt = (item: Item = svc.county.items[0]!) => ({
  ...RECEIPT,
  variables: {
    input: { ...RECEIPT.variables.input, depotId: depotOf(svc).id, itemId: item.id },
  },
});

describe("a subscription over HTTP, which is served over WebSocket only", () => {
  it.each([
    ["signed in", true],
    ["anonymous", false],
  ])("is refused 400 OPERATION_NOT_SUPPORTED, %s, and logs no error", async (_who, signedIn) => {
    const res = await post(
      svc.url,
      { query: "subscription Watch { requisitionNotifications { kind } }" },
      signedIn ? { authorization: officer } : {},
    );
    expect(res.status).toBe(400);
    expect(codes(res)).toEqual(["OPERATION_NOT_SUPPORTED"]);
    expect(res.body.errors![0]!.message).toMatch(/over WebSocket/);
    expect(res.body.data).toBeUndefined();
    expect(svc.errorLogs()).toEqual([]);
  });
});

describe("persisted queries, which no client of this service sends", () => {
  const hash = (text: string) => createHash("sha256").update(text).digest("hex");

  it("a hash that does not match its text is refused 400 PERSISTED_QUERY_NOT_SUPPORTED, and nothing runs", async () => {
    const before = await ledgerLength();
    const res = await post(
      svc.url,
      { ...receipt(), extensions: { persistedQuery: { version: 1, sha256Hash: hash("something else") } } },
      { authorization: keeper },
    );
    expect(res.status).toBe(400);
    expect(codes(res)).toEqual(["PERSISTED_QUERY_NOT_SUPPORTED"]);
    expect(res.body.data).toBeUndefined();
    expect(await ledgerLength()).toBe(before);
    expect(svc.errorLogs()).toEqual([]);
  });

  it("a matching hash, or a hash alone, gets the same answer: the text itself is the way to ask", async () => {
    const text = "{ me { roles } }";
    for (const body of [
      { query: text, extensions: { persistedQuery: { version: 1, sha256Hash: hash(text) } } },
      { extensions: { persistedQuery: { version: 1, sha256Hash: hash(text) } } },
    ]) {
      const res = await post(svc.url, body, { authorization: officer });
      expect(res.status).toBe(400);
      expect(codes(res)).toEqual(["PERSISTED_QUERY_NOT_SUPPORTED"]);
    }
    expect((await post(svc.url, { query: text }, { authorization: officer })).body).toEqual({
      data: { me: { roles: ["COUNTY_OFFICER"] } },
    });
  });
});

describe("a signed token whose subject no user can have", () => {
  it.each([
    // a real officer's username with a NUL or a line break after it
    ["a NUL inside", () => `${svc.county.officer}\u0000admin`],
    ["a line break", () => `${svc.county.officer}\nx`],
    ["over-long", () => "a".repeat(MAX_SUBJECT_LENGTH + 1)],
  ])("%s: 401 UNAUTHENTICATED, like any bad token, and no error logged", async (_what, subject) => {
    const authorization = await bearer(subject());
    const res = await post(svc.url, { query: "{ me { roles } }" }, { authorization });
    expect(res.status).toBe(401);
    expect(codes(res)).toEqual(["UNAUTHENTICATED"]);
    const csv = await fetch(
      `${svc.url.replace(/\/graphql$/, "")}/export/ledger.csv?depotId=${depotOf(svc).id}`,
      {
        headers: { authorization },
      },
    );
    expect(csv.status).toBe(401);
    await csv.body?.cancel();
    expect(svc.errorLogs()).toEqual([]);
  });
});

describe("the body is JSON only when its media type is application/json", () => {
  it("application/jsonx is not parsed as JSON: 400, and the mutation did not run", async () => {
    const bags = await anItem(svc.county);
    const before = await ledgerLength();
    const res = await post(svc.url, receipt(bags), {
      authorization: keeper,
      "content-type": "application/jsonx",
    });
    expect(res.status).toBe(400);
    expect(codes(res)).toEqual(["BAD_REQUEST"]);
    expect(await ledgerLength()).toBe(before);
    // the same request as application/json is a receipt: the refusal above was the media type alone
    const sent = await post(svc.url, receipt(bags), { authorization: keeper });
    expect(sent.body).toEqual({ data: { receiveStock: { userErrors: [] } } });
    expect(await ledgerLength()).toBe(before + 1);
    expect(await stockAt(depotOf(svc), bags)).toMatchObject({ onHand: "100" });
  });

  it.each(["application/json; charset=utf-8", "Application/JSON"])("%s is JSON", async (contentType) => {
    const res = await post(
      svc.url,
      { query: "{ me { roles } }" },
      { authorization: officer, "content-type": contentType },
    );
    expect(res.status).toBe(200);
    expect(res.body.data).toEqual({ me: { roles: ["COUNTY_OFFICER"] } });
  });
});

describe("a body over the limit", () => {
  /** Uploads `bytes` in 64 KiB chunks over node:http, as a slow client would, and reports what it saw. */
  function upload(bytes: number) {
    return new Promise<{ status: number; connection: string | undefined; body: string }>(
      (resolve, reject) => {
        const url = new URL(svc.url);
        const req = request(
          {
            host: url.hostname,
            port: url.port,
            path: url.pathname,
            method: "POST",
            headers: { "content-type": "application/json", "content-length": bytes },
          },
          (res) => {
            let body = "";
            res.setEncoding("utf8");
            res.on("data", (c: string) => (body += c));
            res.on("end", () =>
              resolve({ status: res.statusCode!, connection: res.headers.connection, body }),
            );
            res.on("error", reject);
          },
        );
        req.on("error", reject);
        const chunk = Buffer.alloc(64 * 1024, " ");
        let sent = 0;
        const pump = () => {
          while (sent < bytes) {
            const n = Math.min(chunk.length, bytes - sent);
            sent += n;
            if (!req.write(chunk.subarray(0, n))) return void req.once("drain", pump);
          }
          req.end();
        };
        pump();
      },
    );
  }

  it("is answered 413 and the connection closed, seen by a client still uploading, not reset under it", async () => {
    const res = await upload(4_000_000);
    expect(res.status).toBe(413);
    expect(res.connection).toBe("close");
    expect(JSON.parse(res.body)).toEqual({
      errors: [{ message: "request body too large", extensions: { code: "BAD_REQUEST" } }],
    });
    expect(svc.errorLogs()).toEqual([]);
  });

  it("a body just under the limit is still read", async () => {
    const padded = JSON.stringify({ query: "{ me { roles } }" }) + " ".repeat(900_000);
    const res = await post(svc.url, padded, { authorization: officer });
    expect(res.status).toBe(200);
    expect(res.body.data).toEqual({ me: { roles: ["COUNTY_OFFICER"] } });
  });
});

describe("in production, errors spell out no part of the schema", () => {
  let production: Logged;
  beforeAll(async () => {
    production = await startLogged({ NODE_ENV: "production" });
  });
  afterAll(() => production.stop());

  const typo = { query: '{ depo(id: "x") { id } }' };
  const badEnum = {
    query: "query($c: LotCondition) { lots(first: 1, condition: $c) { nodes { id } } }",
    variables: { c: "DAMAGD" },
  };
  const badInputField = () => {
    const { quantity, ...rest } = receipt().variables.input;
    return { query: RECEIPT.query, variables: { input: { ...rest, quantty: quantity } } };
  };
  const messages = (a: Answer) => a.body.errors!.map((e) => e.message).join("\n");

  it("a misspelt field, anonymously: still 400 GRAPHQL_VALIDATION_FAILED, without the guess", async () => {
    const res = await post(production.url, typo);
    expect(res.status).toBe(400);
    expect(codes(res)).toEqual(["GRAPHQL_VALIDATION_FAILED"]);
    expect(messages(res)).toBe('Cannot query field "depo" on type "Query".');
    // outside production the same mistake is answered with the guess, which is what production leaves out
    expect(messages(await post(svc.url, typo))).toMatch(/Did you mean "depot"/);
  });

  it.each([
    ["an enum value", () => badEnum],
    ["an input field", badInputField],
  ])(
    "a misspelt %s in the variables, signed in: 400 BAD_USER_INPUT without the guess",
    async (_what, body) => {
      // the same keeper's mistake on each service, signed in as that service's own keeper
      const res = await post(production.url, body(), {
        authorization: await bearer(depotOf(production).keeper),
      });
      expect(res.status).toBe(400);
      expect(codes(res)).toEqual(["BAD_USER_INPUT"]);
      expect(messages(res)).not.toMatch(/Did you mean/);
      expect(messages(await post(svc.url, body(), { authorization: keeper }))).toMatch(/Did you mean/);
    },
  );

  it("a subscription is refused there too, and nothing was logged as an error", async () => {
    const res = await post(production.url, { query: "subscription { requisitionNotifications { kind } }" });
    expect(res.status).toBe(400);
    expect(codes(res)).toEqual(["OPERATION_NOT_SUPPORTED"]);
    expect(production.errorLogs()).toEqual([]);
  });
});
