import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { aCounty, anItem, mutation, type ProvisionedCounty } from "./support/factories.js";
import { startTestService, type TestService } from "./support/service.js";
import { query, sql } from "./support/sql.js";

let svc: TestService;
/** One township (its office and keeper), an administrator, two officers and an auditor; and a second county. */
let county: ProvisionedCounty;
let township: ProvisionedCounty["townships"][number];
let other: ProvisionedCounty;
// the template's demo set-up is logged too (its workbook is imported through the use cases): this file's own
// changes are the ones from here on, and those of beforeAll end at `until`
let since: string;
let until: string;
beforeAll(async () => {
  svc = await startTestService();
  county = await aCounty(svc, { townships: 1, population: 100_000 });
  township = county.townships[0]!;
  other = await aCounty(svc);
  since = new Date().toISOString();
  // one administrative change in each county: the readers below see their own county's only
  const population = (c: ProvisionedCounty, to: number) =>
    mutation(svc, c.admin, "updateRegion", "UpdateRegionInput", { regionId: c.id, population: to }, "");
  await population(county, 100_500);
  await population(other, 90_000);
  until = new Date(Date.now() + 1).toISOString();
});
afterAll(() => svc.stop());

async function refusal(statement: ReturnType<typeof sql>): Promise<string> {
  try {
    await query(svc.database, statement);
  } catch (e) {
    const err = e as { message: string; cause?: { message: string } };
    return err.cause?.message ?? err.message;
  }
  return "accepted";
}

const count = async () =>
  (await query<{ n: number }>(svc.database, sql`select count(*)::int as n from audit_events`))[0]!.n;

describe("the administration log is never rewritten", () => {
  it("refuses UPDATE, DELETE and TRUNCATE in the database itself", async () => {
    const before = await count();

    const answers = [
      await refusal(sql`update audit_events set action = 'x'`),
      await refusal(sql`delete from audit_events`),
      await refusal(sql`truncate audit_events`),
    ];

    expect(answers).toEqual([
      expect.stringMatching(/append-only/),
      expect.stringMatching(/append-only/),
      expect.stringMatching(/append-only/),
    ]);
    expect(await count()).toBe(before);
  });
});

const LIST = `query($filter: AuditEventFilter) { auditEvents(first: 10, filter: $filter) {
  nodes { action targetType targetKey before after actor { username } } } }`;
type Events = { auditEvents: { nodes: { action: string }[] } };

describe("who reads the administration log", () => {
  it("shows the county's changes to its administrator, its officers and its auditor", async () => {
    for (const who of [county.admin, county.officer, county.auditor]) {
      const res = await svc.gql<Events>(LIST, { filter: { from: since, to: until } }, who);

      expect(res.data!.auditEvents.nodes, who).toEqual([
        {
          action: "updateRegion",
          targetType: "Region",
          targetKey: expect.any(String),
          before: expect.objectContaining({ population: 100_000, nameZh: county.nameZh }),
          after: expect.objectContaining({ population: 100_500, nameZh: county.nameZh }),
          actor: { username: county.admin },
        },
      ]);
    }
  });

  it("narrows by action and refuses a malformed target key", async () => {
    const none = await svc.gql<Events>(
      LIST,
      { filter: { action: "grantRole", from: since } },
      county.officer,
    );
    const updates = await svc.gql<Events>(
      LIST,
      { filter: { action: "updateRegion", from: since, to: until } },
      county.officer,
    );
    const bad = await svc.gql(LIST, { filter: { targetType: "Region", targetKey: "abc" } }, county.officer);

    expect(none.data!.auditEvents.nodes).toEqual([]);
    expect(updates.data!.auditEvents.nodes.map((n) => n.action)).toEqual(["updateRegion"]);
    expect(bad.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
  });

  it("refuses township officers and keepers", async () => {
    for (const who of [township.officer, township.depot.keeper]) {
      const res = await svc.gql(LIST, {}, who);

      expect(res.errors?.[0]?.extensions?.code, who).toBe("FORBIDDEN");
      expect(res.data, who).toBeNull();
    }
  });
});

describe("reserve norms are part of the county's set-up", () => {
  const SET = `mutation($input: SetReserveNormInput!) { setReserveNorm(input: $input) { userErrors { code } } }`;
  const NORM_EVENTS = `query($from: DateTime) { auditEvents(first: 10, filter: { action: "setReserveNorm", from: $from }) {
    nodes { targetType before after actor { username } } } }`;

  it("logs each norm change with the norm as it was and as it became, and nothing for a refusal", async () => {
    const from = new Date().toISOString();
    const tents = await anItem(county);
    const set = (quantity: string, as = county.officer) =>
      svc.gql<{ setReserveNorm: { userErrors: { code: string }[] } }>(
        SET,
        { input: { countyId: county.id, itemId: tents.id, level: "VILLAGE", basis: "ABSOLUTE", quantity } },
        as,
      );

    const first = await set("4");
    const second = await set("6");
    const refused = await set("8", township.officer);

    expect(first.data!.setReserveNorm.userErrors).toEqual([]);
    expect(second.data!.setReserveNorm.userErrors).toEqual([]);
    expect(refused.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    const events = await svc.gql<{
      auditEvents: { nodes: { targetType: string; before: unknown; after: unknown; actor: unknown }[] };
    }>(NORM_EVENTS, { from }, county.auditor);
    // newest first: the change from 4 to 6, then the norm's creation
    expect(events.data!.auditEvents.nodes).toEqual([
      {
        targetType: "ReserveNorm",
        before: expect.objectContaining({ quantity: "4.000", level: "VILLAGE" }),
        after: expect.objectContaining({ quantity: "6.000", level: "VILLAGE" }),
        actor: { username: county.officer },
      },
      {
        targetType: "ReserveNorm",
        before: null,
        after: expect.objectContaining({ quantity: "4.000" }),
        actor: { username: county.officer },
      },
    ]);
  });
});
