import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestService, type TestService } from "./support/service.js";
import { query, sql } from "./support/sql.js";

let svc: TestService;
beforeAll(async () => {
  svc = await startTestService();
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
    expect(await count()).toBe(1);
  });
});

const LIST = `query($filter: AuditEventFilter) { auditEvents(first: 10, filter: $filter) {
  nodes { action targetType targetKey before after actor { username } } } }`;

describe("who reads the administration log", () => {
  it("shows the county's changes to its administrator, its officers and its auditor", async () => {
    for (const who of ["county.admin", "county.officer", "auditor"]) {
      const res = await svc.gql<{ auditEvents: { nodes: unknown[] } }>(LIST, {}, who);
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
      filter: { action: "grantRole" },
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
