import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestService, type TestService } from "./support/service.js";
import { aCounty, type Depot, type Item, type ProvisionedCounty } from "./support/factories.js";
import { query, sql } from "./support/sql.js";

const TOKEN = "metrics-token-for-the-scraper";
const NOW = new Date("2026-11-24T02:00:00Z");
const RECEIVE = `mutation Receive($input: ReceiveStockInput!) {
  receiveStock(input: $input) { lots { id onHand } userErrors { code } } }`;

let svc: TestService;
/** One township whose keeper receives cement (tonnes), an item new to the catalogue. */
let county: ProvisionedCounty;
let depot: Depot;
let cement: Item;
beforeAll(async () => {
  svc = await startTestService({ clock: () => NOW, env: { METRICS_TOKEN: TOKEN } });
  county = await aCounty(svc, { townships: 1, items: [{ unitCode: "tonne" }] });
  depot = county.townships[0]!.depot;
  [cement] = county.items as [Item];
});
afterAll(() => svc.stop());

const metricsUrl = (s: TestService) => s.url.replace(/\/graphql$/, "/metrics");
const scrape = async (bearer: string | null = TOKEN) =>
  fetch(metricsUrl(svc), { headers: bearer ? { authorization: `Bearer ${bearer}` } : {} });

/** The value of one series, e.g. value(text, 'ledger_lines_written_total{kind="RECEIPT"}'); 0 when absent. */
function value(text: string, series: string): number {
  const line = text.split("\n").find((l) => l.startsWith(`${series} `));
  return line ? Number(line.slice(series.length + 1)) : 0;
}

const receive = (lotCode: string, quantity: string, idempotencyKey: string) =>
  svc.gql<{ receiveStock: { lots: { id: string }[]; userErrors: { code: string }[] } }>(
    RECEIVE,
    {
      input: {
        depotId: depot.id,
        itemId: cement.id,
        quantity,
        lotCode,
        receivedOn: "2026-11-20",
        source: "PURCHASE",
        reason: "metrics test",
        idempotencyKey,
      },
    },
    depot.keeper,
  );

/** The cement lots of the depot by lot code, with what they hold. */
const lotsCoded = (code: string) =>
  query<{ on_hand: string }>(
    svc.database,
    sql`select on_hand::text from lots where county_id = ${county.countyId} and depot_id = ${depot.depotId}
          and item_id = ${cement.itemId}
          and lot_code = ${code}`,
  );

describe("GET /metrics", () => {
  it("is not served unless METRICS=true or METRICS_TOKEN is set", async () => {
    const plain = await startTestService();
    try {
      const res = await fetch(metricsUrl(plain));
      expect(res.status).toBe(404);
    } finally {
      await plain.stop();
    }
  });

  it("wants the bearer token when METRICS_TOKEN is set", async () => {
    expect((await scrape(null)).status).toBe(401);
    expect((await scrape("not-the-token-at-all")).status).toBe(401);
    const res = await scrape();
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/plain/);
  });

  it("counts operations by name and outcome, refusals by code, replays and ledger lines by kind", async () => {
    const before = await (await scrape()).text();
    const first = await receive("MET-1", "5", "metrics-key-1");
    expect(first.data!.receiveStock.userErrors).toEqual([]);
    const replay = await receive("MET-1", "5", "metrics-key-1");
    expect(replay.data!.receiveStock.lots).toEqual(first.data!.receiveStock.lots);
    const refused = await receive("MET-2", "0", "metrics-key-2");
    expect(refused.data!.receiveStock.userErrors).toEqual([{ code: "INVALID_QUANTITY" }]);
    const anonymous = await svc.gql(`query Me { me { roles } }`, {}, null);
    expect(anonymous.errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");
    // the refusal and the replay changed nothing: one lot, none for the refused code
    expect(await lotsCoded("MET-1")).toEqual([{ on_hand: "5.000" }]);
    expect(await lotsCoded("MET-2")).toEqual([]);

    const after = await (await scrape()).text();
    const delta = (series: string) => value(after, series) - value(before, series);
    expect(delta('graphql_operations_total{operation="Receive",outcome="ok"}')).toBe(2);
    expect(delta('graphql_operations_total{operation="Receive",outcome="refused"}')).toBe(1);
    expect(delta('graphql_operations_total{operation="Me",outcome="error"}')).toBe(1);
    expect(delta('graphql_refusals_total{code="INVALID_QUANTITY"}')).toBe(1);
    expect(delta('graphql_refusals_total{code="UNAUTHENTICATED"}')).toBe(1);
    expect(delta('idempotent_replays_total{operation="receiveStock"}')).toBe(1);
    expect(delta('ledger_lines_written_total{kind="RECEIPT"}')).toBe(1);
    expect(delta('graphql_operation_duration_seconds_count{operation="Receive",outcome="ok"}')).toBe(2);
    expect(delta('http_requests_total{method="POST",path="/graphql",status="200"}')).toBeGreaterThanOrEqual(
      3,
    );
  });

  it("reports event-loop lag, the process and the database pool", async () => {
    const text = await (await scrape()).text();
    expect(text).toMatch(/^nodejs_eventloop_lag_seconds \d/m);
    expect(text).toMatch(/^process_resident_memory_bytes \d/m);
    expect(text).toMatch(/^db_pool_size \d+/m);
    expect(text).toMatch(/^# TYPE db_connections gauge/m);
  });
});
