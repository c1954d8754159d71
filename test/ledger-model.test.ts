import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  aCounty,
  aDepot,
  anItem,
  aVillage,
  type Depot,
  type Item,
  type ProvisionedCounty,
} from "./support/factories.js";
import { startTestService, type TestService } from "./support/service.js";
import { query, sql } from "./support/sql.js";
import {
  type ChangeView,
  ISSUE,
  RECEIVE,
  REVERSE,
  SET_CONDITION,
  type UserErrorView,
  WRITE_OFF,
} from "./support/world.js";

// 10:00 in Shanghai on 2026-11-24: a lot expiring today is still usable, one that expired yesterday is not
const NOW = new Date("2026-11-24T02:00:00Z");
const TODAY = "2026-11-24";

let svc: TestService;
/** A village storage point of a township of its own county, with its keeper; no reserve norm anywhere. */
let county: ProvisionedCounty;
let DEPOT: Depot;
let KEEPER: string;
/**
 * Each run's disinfectant, new to the catalogue (tonnes here, three decimals like litres, with a shelf life): the
 * depot's figures for it are that run's alone, and no reserve floor refuses an issue the model allows.
 */
let ITEM: Item;
const disinfectant = () =>
  anItem(county, { unitCode: "tonne", category: "MEDICAL", shelfLifeDays: 365, rotationLeadDays: 60 });
beforeAll(async () => {
  svc = await startTestService({ clock: () => NOW });
  county = await aCounty(svc, { townships: 1 });
  DEPOT = await aDepot(await aVillage(county.townships[0]!));
  KEEPER = DEPOT.keeper;
});
afterAll(() => svc.stop());

// ---- exact decimals as integer thousandths ----

/** Thousandths of a decimal text; anything but a plain decimal of at most three places throws. */
function milli(text: string): bigint {
  const m = /^(-?)(\d+)(?:\.(\d+))?$/.exec(text);
  const frac = (m?.[3] ?? "").replace(/0+$/, "");
  if (!m || frac.length > 3) throw new Error(`not a decimal of at most 3 places: ${JSON.stringify(text)}`);
  const value = BigInt(m[2]!) * 1000n + BigInt(frac.padEnd(3, "0"));
  return m[1] === "-" ? -value : value;
}

function decimal(thousandths: bigint, padded = false): string {
  const abs = thousandths < 0n ? -thousandths : thousandths;
  const frac = (abs % 1000n).toString().padStart(3, "0");
  const shown = padded ? `.${frac}` : frac === "000" ? "" : `.${frac.replace(/0+$/, "")}`;
  return `${thousandths < 0n ? "-" : ""}${abs / 1000n}${shown}`;
}

/** The quantity the service accepts for the item (three decimals), or null where it must answer INVALID_QUANTITY. */
function accepted(text: string): bigint | null {
  try {
    const q = milli(text);
    return q > 0n ? q : null;
  } catch {
    return null;
  }
}

/** "Depot:1:42" → { countyId: 1, id: 42 }; catalogue IDs carry no county. */
function key(globalId: string): { countyId: number; id: number } {
  const [, a, b] = Buffer.from(globalId, "base64url").toString("utf8").split(":");
  return b === undefined ? { countyId: 0, id: Number(a) } : { countyId: Number(a), id: Number(b) };
}

// ---- the model: the rules, stated over plain data ----

type Condition = "SERVICEABLE" | "QUARANTINED" | "DAMAGED";
interface ModelLot {
  id: string;
  receivedOn: string;
  expiresOn: string;
  condition: Condition;
  onHand: bigint;
}
interface Line {
  lot: number;
  kind: string;
  quantity: bigint;
}
/** What a command does: refused with a code, or accepted with these new ledger lines. */
type Verdict = { code: string } | { lines: Line[] };
interface Plan {
  verdict: Verdict;
  /** Applies an accepted command, given the ids of the lines the service wrote. */
  commit: (lineIds: string[]) => void;
}

// quarantine and release go both ways; damaged stock never comes back, it is written off
const MAY_BECOME: Record<Condition, Condition[]> = {
  SERVICEABLE: ["QUARANTINED", "DAMAGED"],
  QUARANTINED: ["SERVICEABLE", "DAMAGED"],
  DAMAGED: [],
};

const refused = (code: string): Plan => ({ verdict: { code }, commit: () => {} });

class LedgerModel {
  readonly lines: (Line & { id: string; reversed: boolean })[] = [];
  constructor(readonly lots: ModelLot[]) {}

  issuable = (l: ModelLot) => l.condition === "SERVICEABLE" && l.expiresOn >= TODAY;

  /** Issuable lots, earliest expiry first, then oldest receipt, then the order they were received in. */
  fefo(): number[] {
    const order = (l: ModelLot) => `${l.expiresOn} ${l.receivedOn}`;
    return this.lots
      .map((_, i) => i)
      .filter((i) => this.issuable(this.lots[i]!))
      .sort((a, b) => order(this.lots[a]!).localeCompare(order(this.lots[b]!)) || a - b);
  }

  usable = () => this.fefo().reduce((sum, i) => sum + this.lots[i]!.onHand, 0n);

  issue(lot: number | null, quantity: bigint | null): Plan {
    if (quantity === null) return refused("INVALID_QUANTITY");
    if (lot !== null) {
      if (!this.issuable(this.lots[lot]!)) return refused("LOT_NOT_ISSUABLE");
      if (quantity > this.lots[lot]!.onHand) return refused("INSUFFICIENT_STOCK");
      return this.post([{ lot, kind: "ISSUE", quantity: -quantity }]);
    }
    const lines: Line[] = [];
    let left = quantity;
    for (const i of this.fefo()) {
      const take = left < this.lots[i]!.onHand ? left : this.lots[i]!.onHand;
      if (take > 0n) lines.push({ lot: i, kind: "ISSUE", quantity: -take });
      left -= take;
    }
    return left > 0n ? refused("INSUFFICIENT_STOCK") : this.post(lines);
  }

  writeOff(lot: number, quantity: bigint | null): Plan {
    if (quantity === null) return refused("INVALID_QUANTITY");
    // any condition: damaged, expired or lost stock is exactly what gets written off
    if (quantity > this.lots[lot]!.onHand) return refused("INSUFFICIENT_STOCK");
    return this.post([{ lot, kind: "WRITE_OFF", quantity: -quantity }]);
  }

  setCondition(lot: number, to: Condition): Plan {
    const l = this.lots[lot]!;
    if (!MAY_BECOME[l.condition].includes(to)) return refused("INVALID_TRANSITION");
    return { verdict: { lines: [] }, commit: () => void (l.condition = to) };
  }

  reverse(line: number): Plan {
    const target = this.lines[line]!;
    if (target.kind === "REVERSAL" || target.reversed) return refused("INVALID_TRANSITION");
    // taking a receipt back needs the stock still there
    if (this.lots[target.lot]!.onHand - target.quantity < 0n) return refused("INSUFFICIENT_STOCK");
    const plan = this.post([{ lot: target.lot, kind: "REVERSAL", quantity: -target.quantity }]);
    return { verdict: plan.verdict, commit: (ids) => (plan.commit(ids), void (target.reversed = true)) };
  }

  post(lines: Line[]): Plan {
    const commit = (ids: string[]) =>
      lines.forEach((line, k) => {
        this.lots[line.lot]!.onHand += line.quantity;
        this.lines.push({ ...line, id: ids[k]!, reversed: false });
      });
    return { verdict: { lines }, commit };
  }
}

// ---- commands, generated as plain records so a shrunk counterexample reads as a script ----

interface LotSpec {
  quantity: string;
  receivedOn: string;
  expiresOn: string;
}
/** A decimal, or "all" / "all+0.001" of what the target holds when the command runs (boundaries). */
type Qty = string;
type Command =
  | { op: "issue"; lot: number | null; qty: Qty }
  | { op: "writeOff"; lot: number; qty: Qty }
  | { op: "condition"; lot: number; to: Condition }
  | { op: "reverse"; line: number };

const decimalArb = (max: number) =>
  fc.tuple(fc.integer({ min: 1, max }), fc.boolean()).map(([n, padded]) => decimal(BigInt(n), padded));

const lotSpecArb: fc.Arbitrary<LotSpec> = fc
  .record({
    quantity: decimalArb(60_000),
    receivedOn: fc.constantFrom("2025-12-01", "2026-06-01", TODAY),
    expiresOn: fc.constantFrom("2026-06-01", "2026-11-23", TODAY, "2026-11-25", "2027-03-01"),
  })
  .map((l) => ({ ...l, receivedOn: l.receivedOn < l.expiresOn ? l.receivedOn : l.expiresOn }));

// write-offs stay at or below 100 (the threshold), so they post at once instead of waiting for a second person
const qtyArb: fc.Arbitrary<Qty> = fc.oneof(
  { arbitrary: decimalArb(15_000), weight: 4 },
  { arbitrary: decimalArb(80_000), weight: 1 },
  { arbitrary: fc.constantFrom("all", "all+0.001"), weight: 3 },
  { arbitrary: fc.constantFrom("0", "-1", "0.0005"), weight: 1 },
);

const lotArb = fc.nat(2);
const commandArb: fc.Arbitrary<Command> = fc.oneof(
  {
    arbitrary: fc.record({ op: fc.constant("issue"), lot: fc.option(lotArb, { freq: 2 }), qty: qtyArb }),
    weight: 4,
  },
  { arbitrary: fc.record({ op: fc.constant("writeOff"), lot: lotArb, qty: qtyArb }), weight: 2 },
  {
    arbitrary: fc.record({
      op: fc.constant("condition"),
      lot: lotArb,
      to: fc.oneof(
        { arbitrary: fc.constantFrom<Condition>("QUARANTINED", "SERVICEABLE"), weight: 4 },
        { arbitrary: fc.constant<Condition>("DAMAGED"), weight: 1 },
      ),
    }),
    weight: 2,
  },
  { arbitrary: fc.record({ op: fc.constant("reverse"), line: fc.nat(20) }), weight: 2 },
);

// ---- talking to the service ----

async function gql<T>(q: string, variables: Record<string, unknown>, as = KEEPER): Promise<T> {
  const res = await svc.gql<T>(q, variables, as);
  // business refusals belong in userErrors; a top-level error is a failure of its own
  expect(res.errors).toBeUndefined();
  return res.data!;
}

const resolve = (qty: Qty, holds: bigint) =>
  qty === "all" ? decimal(holds) : qty === "all+0.001" ? decimal(holds + 1n) : qty;

type Payload = { userErrors: UserErrorView[]; movements?: ChangeView["movements"] };
type Step<C> = (cmd: C, model: LedgerModel, runLots: string[]) => Promise<{ plan: Plan; payload: Payload }>;
const at = (model: LedgerModel, i: number) => i % model.lots.length;
const reason = "model check";

/** Per command: what the model plans, and the mutation that asks the service for the same. */
const steps: { [Op in Command["op"]]: Step<Extract<Command, { op: Op }>> } = {
  async issue(cmd, model, runLots) {
    const named = cmd.lot === null ? null : at(model, cmd.lot);
    const quantity = resolve(cmd.qty, named === null ? model.usable() : model.lots[named]!.onHand);
    const lotId = named === null ? undefined : runLots[named];
    const input = { depotId: DEPOT.id, itemId: ITEM.id, lotId, quantity, reason };
    const res = await gql<{ issueStock: Payload }>(ISSUE, {
      input: { ...input, purpose: "DISTRIBUTION", recipient: "村民" },
    });
    return { plan: model.issue(named, accepted(quantity)), payload: res.issueStock };
  },
  async writeOff(cmd, model, runLots) {
    const lot = at(model, cmd.lot);
    const quantity = resolve(cmd.qty, model.lots[lot]!.onHand);
    const input = { lotId: runLots[lot], quantity, cause: "LOST", reason };
    const res = await gql<{ writeOffStock: Payload & { request: unknown } }>(WRITE_OFF, { input });
    expect(res.writeOffStock.request).toBeNull();
    return { plan: model.writeOff(lot, accepted(quantity)), payload: res.writeOffStock };
  },
  async condition(cmd, model, runLots) {
    const lot = at(model, cmd.lot);
    const input = { lotId: runLots[lot], condition: cmd.to, reason };
    const res = await gql<{ setLotCondition: Payload }>(SET_CONDITION, { input });
    return { plan: model.setCondition(lot, cmd.to), payload: res.setLotCondition };
  },
  async reverse(cmd, model) {
    const line = cmd.line % model.lines.length;
    const input = { movementId: model.lines[line]!.id, reason };
    const res = await gql<{ reverseMovement: Payload }>(REVERSE, { input });
    return { plan: model.reverse(line), payload: res.reverseMovement };
  },
};

/** The service's answer in the model's terms: lots by their index in the run, quantities exact. */
function verdictOf(payload: Payload, runLots: string[]): Verdict {
  const lines = (payload.movements ?? []).map((m) => ({
    lot: runLots.indexOf(m.lot.id),
    kind: m.kind,
    quantity: milli(m.quantity),
  }));
  if (!payload.userErrors.length) return { lines };
  // a refusal writes nothing: any line it did write shows up in the diff
  return { code: payload.userErrors.map((e) => e.code).join(), ...(lines.length ? { wrote: lines } : {}) };
}

interface LotState {
  onHand: string;
  condition: string;
}
interface DepotStock {
  stock: { item: { code: string }; usable: string; quarantined: string; expired: string }[];
}

/** Each lot's balance and condition, and the depot's named quantities, as the API reports them. */
async function expectApiAgrees(model: LedgerModel, context: string) {
  const lotFields = model.lots.map((_, i) => `l${i}: node(id: $l${i}) { ... on Lot { onHand condition } }`);
  const data = await gql<{ depot: DepotStock } & Record<`l${number}`, LotState>>(
    `query($d: ID!, ${model.lots.map((_, i) => `$l${i}: ID!`).join(", ")}) {
      ${lotFields.join("\n")}
      depot(id: $d) { stock { item { code } usable quarantined expired } } }`,
    { d: DEPOT.id, ...Object.fromEntries(model.lots.map((l, i) => [`l${i}`, l.id])) },
    county.auditor,
  );
  const seen = model.lots.map((_, i) => data[`l${i}`]!);
  expect(
    seen.map((l) => ({ onHand: milli(l.onHand), condition: l.condition })),
    context,
  ).toEqual(model.lots.map((l) => ({ onHand: l.onHand, condition: l.condition })));
  const level = data.depot.stock.find((s) => s.item.code === ITEM.code)!;
  // the run's own item: every lot of it at the depot is the model's
  const sumOf = (pick: (l: ModelLot) => boolean) =>
    model.lots.filter(pick).reduce((s, l) => s + l.onHand, 0n);
  expect(
    { usable: milli(level.usable), quarantined: milli(level.quarantined), expired: milli(level.expired) },
    context,
  ).toEqual({
    usable: model.usable(),
    // expiry outranks quarantine: a quarantined lot past its date is expired (docs/custody-rules.md, rule 2)
    quarantined: sumOf((l) => l.condition === "QUARANTINED" && l.expiresOn >= TODAY),
    expired: sumOf((l) => l.condition !== "DAMAGED" && l.expiresOn < TODAY),
  });
}

/** The tables themselves: the ledger lines the model wrote, and lot balances equal to their lines. */
async function expectLedgerAgrees(model: LedgerModel) {
  const lotKeys = model.lots.map((l) => key(l.id));
  const indexOf = (lotId: string) => lotKeys.findIndex((k) => k.id === Number(lotId));
  const inRun = sql.join(
    lotKeys.map((k) => sql`(${k.countyId}::bigint, ${k.id}::bigint)`),
    sql`, `,
  );
  const lines = await query<{ id: string; lot_id: string; kind: string; quantity: string }>(
    svc.database,
    sql`select id::text, lot_id::text, kind, quantity::text from movements
         where (county_id, lot_id) in (${inRun}) order by movements.id`,
  );
  expect(
    lines.map((m) => ({
      id: Number(m.id),
      lot: indexOf(m.lot_id),
      kind: m.kind,
      quantity: milli(m.quantity),
    })),
  ).toEqual(model.lines.map((m) => ({ id: key(m.id).id, lot: m.lot, kind: m.kind, quantity: m.quantity })));
  const balances = await query<{ id: string; on_hand: string; ledger: string }>(
    svc.database,
    sql`select l.id::text, l.on_hand::text, coalesce(sum(m.quantity), 0)::text as ledger from lots l
         left join movements m on m.county_id = l.county_id and m.lot_id = l.id
         where (l.county_id, l.id) in (${inRun}) group by l.county_id, l.id`,
  );
  expect(balances).toHaveLength(model.lots.length);
  for (const b of balances) {
    const expected = model.lots[indexOf(b.id)]!.onHand;
    expect({ onHand: milli(b.on_hand), ledger: milli(b.ledger) }).toEqual({
      onHand: expected,
      ledger: expected,
    });
  }
}

/** The depot's total of the item is the sum of its lots, and what the model holds. */
async function expectLevelIsSumOfLots(model: LedgerModel) {
  const [level] = await query<{ level: string; lots: string }>(
    svc.database,
    sql`select s.on_hand::text as level, (select coalesce(sum(l.on_hand), 0) from lots l
           where l.county_id = s.county_id and l.depot_id = s.depot_id and l.item_id = s.item_id)::text as lots
         from stock_levels s where s.county_id = ${county.countyId} and s.depot_id = ${DEPOT.depotId}
           and s.item_id = ${ITEM.itemId}`,
  );
  const held = model.lots.reduce((s, l) => s + l.onHand, 0n);
  expect({ level: milli(level!.level), lots: milli(level!.lots) }).toEqual({ level: held, lots: held });
}

// ---- one run: its own item and lots, a script of commands, the model checked after every step ----

let runNumber = 0;

async function receive(spec: LotSpec, n: number) {
  const res = await gql<{ receiveStock: ChangeView }>(RECEIVE, {
    input: {
      depotId: DEPOT.id,
      itemId: ITEM.id,
      lotCode: `MODEL-${process.pid}-${runNumber}-${n}`,
      source: "PURCHASE",
      reason,
      // received on its day, before any label ran out: a lot expired on arrival needs acceptExpired
      occurredAt: `${spec.receivedOn}T09:00:00+08:00`,
      ...spec,
    },
  });
  expect(res.receiveStock.userErrors).toEqual([]);
  return { lot: res.receiveStock.lots[0]!, line: res.receiveStock.movements[0]! };
}

async function runScript(specs: LotSpec[], commands: Command[]) {
  runNumber += 1;
  // a new item per run (a shrunk rerun included): no lot of an earlier run is FEFO's to take
  ITEM = await disinfectant();
  const received = [];
  for (const [n, spec] of specs.entries()) received.push(await receive(spec, n));
  const model = new LedgerModel(
    received.map(({ lot }, i) => ({
      ...specs[i]!,
      id: lot.id,
      condition: "SERVICEABLE",
      onHand: 0n,
    })),
  );
  // the receipts are the lots' first ledger lines, and reversible like any other
  received.forEach(({ line }, i) =>
    model.post([{ lot: i, kind: "RECEIPT", quantity: milli(specs[i]!.quantity) }]).commit([line.id]),
  );
  await expectApiAgrees(model, "after the receipts");
  const runLots = model.lots.map((l) => l.id);
  for (const [step, cmd] of commands.entries()) {
    const context = `step ${step}: ${JSON.stringify(cmd)}`;
    // the plan reads the model as the command found it; only an accepted command changes it
    const { plan, payload } = await steps[cmd.op](cmd as never, model, runLots);
    expect(verdictOf(payload, runLots), context).toEqual(plan.verdict);
    plan.commit((payload.movements ?? []).map((m) => m.id));
    await expectApiAgrees(model, context);
  }
  await expectLedgerAgrees(model);
  await expectLevelIsSumOfLots(model);
}

describe("the ledger against a model of the stock rules", () => {
  it("after any script of issues, write-offs, condition changes and reversals, balances equal the ledger and the model", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(lotSpecArb, { minLength: 1, maxLength: 3 }),
        fc.array(commandArb, { minLength: 1, maxLength: 12 }),
        runScript,
      ),
      {
        numRuns: 15,
        // a failure still shrinks, but never for longer than the test may run
        plugins: [fc.interruptAfterTimeLimit(100_000, { failOnInterrupt: true })],
        examples: [
          [
            [
              { quantity: "10", receivedOn: "2026-06-01", expiresOn: "2026-11-23" },
              { quantity: "10", receivedOn: "2026-06-01", expiresOn: TODAY },
              { quantity: "10.000", receivedOn: "2026-06-01", expiresOn: "2027-03-01" },
            ],
            [
              // FEFO skips the lot that expired yesterday and takes the one expiring today first
              { op: "issue", lot: null, qty: "12.5" },
              { op: "reverse", line: 1 }, // the receipt of an emptied lot cannot be taken back
              { op: "reverse", line: 3 },
              { op: "reverse", line: 3 }, // twice
              { op: "reverse", line: 5 }, // a reversal itself
              { op: "reverse", line: 1 },
              { op: "issue", lot: 0, qty: "1" }, // expired by name
              { op: "writeOff", lot: 0, qty: "all" }, // but it can be written off
              { op: "condition", lot: 2, to: "QUARANTINED" },
              { op: "issue", lot: null, qty: "0.001" },
              { op: "condition", lot: 2, to: "SERVICEABLE" },
              { op: "issue", lot: null, qty: "all+0.001" },
            ],
          ],
        ],
      },
    );
  }, 120_000);
});
