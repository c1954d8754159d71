import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestService, type TestService } from "./support/service.js";
import { query, sql } from "./support/sql.js";

let svc: TestService;
// the demo county's set-up is logged too (its workbook is imported through the use cases): this file's own changes
// are the ones from here on
let since: string;
let seeded: number;
beforeAll(async () => {
  svc = await startTestService();
  since = new Date().toISOString();
  seeded = await count();
  // one row as an administrative change would leave it, so the guards below have something to refuse
  await query(
    svc.database,
    sql`insert into audit_events (county_id, actor_id, occurred_at, action, target_type, target_id, before, after)
        select r.id, u.id, now(), 'updateRegion', 'Region', r.id, '{"population": 1}', '{"population": 2}'
          from regions r, users u where r.level = 'COUNTY' and u.username = 'county.admin'`,
  );
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
    expect(await refusal(sql`update audit_events set action = 'x'`)).toMatch(/append-only/);
    expect(await refusal(sql`delete from audit_events`)).toMatch(/append-only/);
    expect(await refusal(sql`truncate audit_events`)).toMatch(/append-only/);
    expect(await count()).toBe(seeded + 1);
  });
});

const LIST = `query($filter: AuditEventFilter) { auditEvents(first: 10, filter: $filter) {
  nodes { action targetType targetKey before after actor { username } } } }`;

describe("who reads the administration log", () => {
  it("shows the county's changes to its administrator, its officers and its auditor", async () => {
    for (const who of ["county.admin", "county.officer", "auditor"]) {
      const res = await svc.gql<{ auditEvents: { nodes: unknown[] } }>(
        LIST,
        { filter: { from: since } },
        who,
      );
      expect(res.data!.auditEvents.nodes).toEqual([
        {
          action: "updateRegion",
          targetType: "Region",
          targetKey: expect.any(String),
          before: { population: 1 },
          after: { population: 2 },
          actor: { username: "county.admin" },
        },
      ]);
    }
  });

  it("narrows by action and refuses a malformed target key", async () => {
    const none = await svc.gql<{ auditEvents: { nodes: unknown[] } }>(LIST, {
      filter: { action: "grantRole", from: since },
    });
    expect(none.data!.auditEvents.nodes).toEqual([]);
    const bad = await svc.gql(LIST, { filter: { targetType: "Region", targetKey: "abc" } });
    expect(bad.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
  });

  it("refuses township officers and keepers", async () => {
    for (const who of ["chengguan.officer", "chengguan.keeper"]) {
      const res = await svc.gql(LIST, {}, who);
      expect(res.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
      expect(res.data).toBeNull();
    }
  });
});

describe("reserve norms are part of the county's set-up", () => {
  const SET = `mutation($input: SetReserveNormInput!) { setReserveNorm(input: $input) { userErrors { code } } }`;
  const NORM_EVENTS = `query($from: DateTime) { auditEvents(first: 10, filter: { action: "setReserveNorm", from: $from }) {
    nodes { targetType before after actor { username } } } }`;

  it("logs each norm change with the norm as it was and as it became, and nothing for a refusal", async () => {
    const me = await svc.gql<{ me: { grants: { region: { id: string } }[] } }>(
      "{ me { grants { region { id } } } }",
    );
    const countyId = me.data!.me.grants[0]!.region.id;
    const items = await svc.gql<{ items: { nodes: { id: string; code: string }[] } }>(
      "{ items(first: 100) { nodes { id code } } }",
    );
    const tents = items.data!.items.nodes.find((i) => i.code === "TENT")!.id;
    const set = (quantity: string, as = "county.officer") =>
      svc.gql<{ setReserveNorm: { userErrors: { code: string }[] } }>(
        SET,
        { input: { countyId, itemId: tents, level: "VILLAGE", basis: "ABSOLUTE", quantity } },
        as,
      );
    expect((await set("4")).data!.setReserveNorm.userErrors).toEqual([]);
    expect((await set("6")).data!.setReserveNorm.userErrors).toEqual([]);
    const refused = await set("8", "chengguan.officer");
    expect(refused.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    const events = await svc.gql<{
      auditEvents: { nodes: { targetType: string; before: unknown; after: unknown; actor: unknown }[] };
    }>(NORM_EVENTS, { from: since }, "auditor");
    // newest first: the change from 4 to 6, then the norm's creation
    expect(events.data!.auditEvents.nodes).toEqual([
      {
        targetType: "ReserveNorm",
        before: expect.objectContaining({ quantity: "4.000", level: "VILLAGE" }),
        after: expect.objectContaining({ quantity: "6.000", level: "VILLAGE" }),
        actor: { username: "county.officer" },
      },
      {
        targetType: "ReserveNorm",
        before: null,
        after: expect.objectContaining({ quantity: "4.000" }),
        actor: { username: "county.officer" },
      },
    ]);
  });
});
