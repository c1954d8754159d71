import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { announceOverdueLoans } from "../../src/app/events.js";
import { signLocalToken } from "../../src/auth/tokens.js";
import { type Database, openDatabase } from "../../src/db/client.js";
import { adminUrl, databaseUrl } from "../support/engine.js";
import { aSubscriber, settle, type Subscriber } from "../support/live.js";
import { spawnService, type ServiceProcess, waitFor } from "../support/process.js";
import { depsOn, worldThrough } from "../support/processWorld.js";
import {
  aLendingPair,
  anApprovedRequisition,
  aReceivedRequisition,
  aStockedItem,
  between,
} from "../support/requisitionFactories.js";
import { TEST_SECRET, type TestService } from "../support/service.js";

// Two service processes on one PostgreSQL, as a load balancer would run them: a subscriber on one hears what is
// done through the other, because events travel through the database (LISTEN/NOTIFY), not through memory.
const name = `rl_live_${process.pid}`;
const url = databaseUrl(name);
const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
const secret = new TextEncoder().encode(TEST_SECRET);
let a: { svc: ServiceProcess; base: string };
let b: { svc: ServiceProcess; base: string };
let database: Database;
let throughB: TestService;
const subscribers: Subscriber[] = [];

async function start(): Promise<{ svc: ServiceProcess; base: string }> {
  const svc = spawnService({
    DATABASE_URL: url,
    JWT_SECRET: TEST_SECRET,
    SEED_DEMO: "false",
    METRICS: "true",
  });
  const base = await svc.base();
  await waitFor(base, "/readyz", 200);
  return { svc, base };
}

/** The process's open subscriptions, as its /metrics says. */
async function openOn(base: string): Promise<number> {
  const text = await (await fetch(`${base}/metrics`)).text();
  return Number(/^graphql_subscriptions (\d+)$/m.exec(text)?.[1] ?? "0");
}

/**
 * The factories provision the county through the use cases on a connection of the test's own, and drive every
 * requisition step over HTTP through process B, as an office would.
 */
async function aSubscriberOn(username: string, base: string): Promise<Subscriber> {
  const token = await signLocalToken(secret, username);
  const s = await aSubscriber(`${base}/graphql`, token, () => openOn(base));
  subscribers.push(s);
  return s;
}

/** The processes run on the wall clock: due days are set from it. */
const inDays = (n: number) => new Date(Date.now() + n * 86_400_000);

/** Requisitions whose loans were marked told at `at`, counted in the tables. */
async function withRequisitionsTold(at: Date): Promise<{ rows: number }> {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    const [row] = await sql`select count(distinct (rl.county_id, rl.requisition_id))::int as n
      from loans l join requisition_lines rl on rl.county_id = l.county_id and rl.id = l.requisition_line_id
      where l.overdue_noticed_at = ${at}`;
    return { rows: (row as { n: number }).n };
  } finally {
    await sql.end();
  }
}

beforeAll(async () => {
  await admin.unsafe(`drop database if exists ${name} with (force)`);
  await admin.unsafe(`create database ${name} template ${inject("template")}`);
  [a, b] = await Promise.all([start(), start()]);
  database = await openDatabase({ databaseUrl: url, maxConnections: 4 });
  throughB = worldThrough(database, b.base);
}, 180_000);
afterAll(async () => {
  await Promise.all(subscribers.map((s) => s.close()));
  for (const p of [a, b]) if (p && p.svc.child.exitCode === null) p.svc.child.kill("SIGTERM");
  await Promise.all([a, b].map((p) => p?.svc.exited));
  await database?.close();
  await admin.unsafe(`drop database if exists ${name} with (force)`);
  await admin.end();
});

describe("live notifications across two service processes", () => {
  it("a subscriber on process A hears, once each, what was done through process B", async () => {
    const pair = await aLendingPair(throughB); // given
    const bags = await aStockedItem(pair, "100");
    const supplierOnA = await aSubscriberOn(pair.lender.officer, a.base);
    const requesterOnA = await aSubscriberOn(pair.borrower.officer, a.base);
    const requesterOnB = await aSubscriberOn(pair.borrower.officer, b.base);

    const r = await anApprovedRequisition(between(pair, [{ item: bags, quantity: "5" }])); // when: all through B

    await supplierOnA.hears("SUBMITTED", r.id); // then
    await requesterOnA.hears("APPROVED", r.id);
    await requesterOnB.hears("APPROVED", r.id);
    await settle();
    // each process hears the database's one NOTIFY, nothing dispatched twice
    expect(supplierOnA.kindsAbout(r.id)).toEqual(["SUBMITTED", "APPROVED"]);
    expect(requesterOnA.kindsAbout(r.id)).toEqual(["APPROVED"]);
    expect(requesterOnB.kindsAbout(r.id)).toEqual(["APPROVED"]);
    expect(a.svc.child.pid).not.toBe(b.svc.child.pid);
  });

  it("two overdue checks at once tell an overdue loan once", async () => {
    const pair = await aLendingPair(throughB); // given
    const jackets = await aStockedItem(pair, "40", { returnable: true });
    const lent = await aReceivedRequisition(
      between(pair, [{ item: jackets, quantity: "4" }]),
      pair.lender.depot,
      {
        input: { returnDueOn: inDays(2).toISOString().slice(0, 10) },
      },
    );
    const county = await aSubscriberOn(pair.county.officer, a.base);
    const other = await openDatabase({ databaseUrl: url, maxConnections: 2 });
    const later = inDays(30);

    const told = await Promise.all([database, other].map((d) => announceOverdueLoans(depsOn(d), later))); // when
    await other.close();

    await county.hears("LOAN_OVERDUE", lent.id); // then
    await settle();
    expect(county.kindsAbout(lent.id)).toEqual(["LOAN_OVERDUE"]);
    // every requisition was told by exactly one of the two checks
    const { rows } = await withRequisitionsTold(later);
    expect(told[0]! + told[1]!).toBe(rows);
  });
});
