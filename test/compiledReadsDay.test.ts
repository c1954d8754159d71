import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { aCounty, type ProvisionedCounty } from "./support/factories.js";
import { startTestService, type TestService } from "./support/service.js";
import { aLotOf } from "./support/stockFactories.js";

// A compiled statement is remembered per question (decision 49): the same document, variables and read scope on
// another day is another question, because the statement carries the day (days to expiry, what has expired).
const METRICS_TOKEN = "compiled-day-metrics-token";
let now = new Date("2026-11-24T02:00:00Z");
let svc: TestService;
let county: ProvisionedCounty;

beforeAll(async () => {
  svc = await startTestService({ clock: () => now, env: { METRICS_TOKEN } });
  county = await aCounty(svc, { townships: 1, items: [{}] });
  await aLotOf(county.townships[0]!.depot, county.items[0]!, "5", { expiresOn: "2026-12-04" });
});
afterAll(() => svc.stop());

async function compiledAnswers(): Promise<number> {
  const res = await fetch(svc.url.replace(/\/graphql$/, "/metrics"), {
    headers: { authorization: `Bearer ${METRICS_TOKEN}` },
  });
  const series = `graphql_compiled_answers_total{outcome="compiled"} `;
  const line = (await res.text()).split("\n").find((l) => l.startsWith(series));
  return line ? Number(line.slice(series.length)) : 0;
}

describe("a compiled question asked again on another day", () => {
  it("is answered for that day, not from the statement built the day before", async () => {
    const ask = async () => {
      const res = await svc.gql<{ expiringLots: { nodes: { daysToExpiry: number; bucket: string }[] } }>(
        `query($r: ID!) { expiringLots(regionId: $r, within: 30, first: 10) { nodes { daysToExpiry bucket } } }`,
        { r: county.id },
        county.officer,
      );
      return res.data!.expiringLots.nodes;
    };
    const before = await compiledAnswers();
    expect(await ask()).toEqual([{ daysToExpiry: 10, bucket: "WITHIN_30_DAYS" }]);
    expect(await ask()).toEqual([{ daysToExpiry: 10, bucket: "WITHIN_30_DAYS" }]);
    now = new Date("2026-11-25T02:00:00Z");
    expect(await ask()).toEqual([{ daysToExpiry: 9, bucket: "WITHIN_30_DAYS" }]);
    now = new Date("2026-12-05T02:00:00Z");
    expect(await ask()).toEqual([]);
    // all four on the compiled path
    expect((await compiledAnswers()) - before).toBe(4);
  });
});
