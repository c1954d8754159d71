import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { coldCaches } from "./support/caches.js";
import {
  ADMIN,
  type AdminWorld,
  adminWorld,
  auditRows,
  countRows,
  mutate,
  OTHER_ADMIN,
  topLevelCode,
} from "./support/admin.js";
import { startTestService, type TestService } from "./support/service.js";
import { demoIds, type DemoIds } from "./support/world.js";

// 2026-11-24 in Shanghai: an agreement valid until 2026-12-31 ends within 60 days
const NOW = new Date("2026-11-24T02:00:00Z");
let svc: TestService;
let w: AdminWorld;
let ids: DemoIds;
beforeAll(async () => {
  svc = await startTestService({ clock: () => NOW });
  w = await adminWorld(svc);
  ids = await demoIds(svc);
});
afterAll(() => svc.stop());

const AGREEMENT =
  "agreement { id supplier contact contractNo validFrom validUntil leadHours endedAt region { nameZh } depot { code } lines { item { code } quantity } }";
type AgreementView = { id: string; validUntil: string; endedAt: string | null };
const create = (input: Record<string, unknown>, as = ADMIN) =>
  mutate<{ agreement: AgreementView | null }>(
    svc,
    "createAgreement",
    "CreateAgreementInput",
    AGREEMENT,
    input,
    as,
  );

const tents = (extra: Record<string, unknown> = {}) => ({
  regionId: w.county,
  supplier: "清河县华联商贸有限公司",
  contact: "周经理 13800000000",
  contractNo: "QH-XY-2026-01",
  validFrom: "2026-01-01",
  validUntil: "2026-12-31",
  leadHours: 8,
  lines: [{ itemId: ids.item("TENT"), quantity: "300" }],
  depotId: ids.depot("AR-HUALIAN"),
  ...extra,
});

const callable = async (region: string, code: string, asOf?: string) => {
  const res = await svc.gql<{
    coverage: {
      lines: { item: { code: string }; agreementCallable: string; callUpLeadHours: number | null }[];
    };
  }>(
    "query($r: ID!, $d: String) { coverage(regionId: $r, asOf: $d) { lines { item { code } agreementCallable callUpLeadHours } } }",
    { r: region, d: asOf ?? null },
    "county.officer",
  );
  const line = res.data!.coverage.lines.find((l) => l.item.code === code)!;
  return { quantity: line.agreementCallable, hours: line.callUpLeadHours };
};

const endingSoon = async (region: string) => {
  const res = await svc.gql<{
    readiness: { nodes: { agreementsEndingWithin60Days: { contractNo: string }[] }[] };
  }>(
    "query($r: ID!) { readiness(regionId: $r, first: 1) { nodes { agreementsEndingWithin60Days { contractNo } } } }",
    { r: region },
    "county.officer",
  );
  return res.data!.readiness.nodes[0]!.agreementsEndingWithin60Days.map((a) => a.contractNo);
};

const snapshot = async () => ({
  agreements: await countRows(svc, "agreements"),
  lines: await countRows(svc, "agreement_lines"),
  audit: await countRows(svc, "audit_events"),
});

let tentAgreement: string;

describe("recording agreement reserves (协议储备)", () => {
  it("counts agreed quantities in coverage only on days the contract is valid", async () => {
    expect(await callable(w.county, "TENT")).toEqual({ quantity: "0", hours: null });
    // the distributor's depot without a contract on file counts by its lots, as before
    const norm = await svc.gql<{ setReserveNorm: { userErrors: unknown[] } }>(
      `mutation($input: SetReserveNormInput!) { setReserveNorm(input: $input) { userErrors { code } } }`,
      {
        input: {
          countyId: w.county,
          regionId: w.county,
          itemId: ids.item("QUILT"),
          basis: "ABSOLUTE",
          quantity: "100",
        },
      },
      "county.officer",
    );
    expect(norm.data!.setReserveNorm.userErrors).toEqual([]);
    expect(await callable(w.county, "QUILT")).toEqual({ quantity: "1000", hours: 12 });
    const res = await create(tents());
    expect(res.userErrors).toEqual([]);
    expect(res.agreement).toMatchObject({
      contractNo: "QH-XY-2026-01",
      region: { nameZh: "清河县" },
      depot: { code: "AR-HUALIAN" },
      lines: [{ item: { code: "TENT" }, quantity: "300" }],
      endedAt: null,
    });
    tentAgreement = res.agreement!.id;
    expect(await callable(w.county, "TENT")).toEqual({ quantity: "300", hours: 8 });
    // once a contract books that depot, the contract is what counts: its lots are not counted twice
    expect(await callable(w.county, "QUILT")).toEqual({ quantity: "0", hours: null });
    expect(await callable(w.county, "TENT", "2027-01-01")).toEqual({ quantity: "0", hours: null });
    expect(await callable(w.county, "TENT", "2025-12-31")).toEqual({ quantity: "0", hours: null });
    const [log] = await auditRows(svc, "createAgreement");
    expect(log).toMatchObject({
      target_type: "Agreement",
      before: null,
      after: expect.objectContaining({
        contractNo: "QH-XY-2026-01",
        lines: [expect.objectContaining({ quantity: "300.000" })],
      }),
    });
  });

  it("counts a township's agreement for the township, and shows contracts ending within 60 days in readiness", async () => {
    const bags = await create(
      tents({
        regionId: w.region("河口镇"),
        contractNo: "QH-XY-2026-02",
        validUntil: "2027-06-30",
        leadHours: 24,
        depotId: null,
        lines: [{ itemId: ids.item("WOVEN_BAG"), quantity: "5000" }],
      }),
    );
    expect(bags.userErrors).toEqual([]);
    expect(await callable(w.region("河口镇"), "WOVEN_BAG")).toEqual({ quantity: "5000", hours: 24 });
    expect(await endingSoon(w.county)).toEqual(["QH-XY-2026-01"]);
    expect(await endingSoon(w.region("河口镇"))).toEqual([]);
  });

  it("lists agreements by region and by the day they are valid on", async () => {
    const LIST = `query($r: ID, $d: String) { agreements(first: 10, regionId: $r, validOn: $d) { nodes { contractNo } } }`;
    const list = async (vars: Record<string, unknown>, as = "auditor") =>
      (
        await svc.gql<{ agreements: { nodes: { contractNo: string }[] } }>(LIST, vars, as)
      ).data!.agreements.nodes.map((n) => n.contractNo);
    expect(await list({})).toEqual(["QH-XY-2026-01", "QH-XY-2026-02"]);
    expect(await list({ r: w.region("河口镇") })).toEqual(["QH-XY-2026-02"]);
    expect(await list({ d: "2027-03-01" })).toEqual(["QH-XY-2026-02"]);
    expect(await list({}, "chengguan.keeper")).toEqual([]);
    expect(await list({}, OTHER_ADMIN)).toEqual([]);
  });

  it("refuses a duplicate contract, a reversed validity, empty or repeated lines and a depot of another kind", async () => {
    const before = await snapshot();
    expect((await create(tents())).userErrors[0]).toMatchObject({
      code: "DUPLICATE",
      field: ["input", "contractNo"],
    });
    const reversed = await create(
      tents({ contractNo: "N1", validFrom: "2026-12-31", validUntil: "2026-01-01" }),
    );
    expect(reversed.userErrors[0]?.field).toEqual(["input", "validUntil"]);
    expect((await create(tents({ contractNo: "N2", validFrom: "2026-13-01" }))).userErrors[0]?.field).toEqual(
      ["input", "validFrom"],
    );
    expect((await create(tents({ contractNo: "N3", lines: [] }))).userErrors[0]?.field).toEqual([
      "input",
      "lines",
    ]);
    const twice = [
      { itemId: ids.item("TENT"), quantity: "1" },
      { itemId: ids.item("TENT"), quantity: "2" },
    ];
    expect((await create(tents({ contractNo: "N4", lines: twice }))).userErrors[0]?.code).toBe(
      "INVALID_INPUT",
    );
    const fraction = [{ itemId: ids.item("TENT"), quantity: "1.5" }];
    expect((await create(tents({ contractNo: "N5", lines: fraction }))).userErrors[0]?.code).toBe(
      "INVALID_QUANTITY",
    );
    const depot = await create(tents({ contractNo: "N6", depotId: ids.depot("CW-01") }));
    expect(depot.userErrors[0]).toMatchObject({ code: "INVALID_INPUT", field: ["input", "depotId"] });
    expect((await create(tents({ contractNo: "N7", leadHours: 0 }))).userErrors[0]?.field).toEqual([
      "input",
      "leadHours",
    ]);
    expect((await create(tents({ contractNo: "N8" }), OTHER_ADMIN)).userErrors[0]?.code).toBe("NOT_FOUND");
    for (const who of ["auditor", "hekou.officer", "county.officer"]) {
      expect(
        await topLevelCode(svc, "createAgreement", "CreateAgreementInput", tents({ contractNo: "N9" }), who),
        who,
      ).toBe("FORBIDDEN");
    }
    expect(await snapshot()).toEqual(before);
  });
});

describe("agreement lists are batched", () => {
  it("agreements(first: 1) and agreements(first: 10) with region, depot and lines run the same number of statements", async () => {
    const LIST = `query($first: Int) { agreements(first: $first) { nodes {
      contractNo region { nameZh } depot { code } lines { quantity item { code } } } } }`;
    const run = async (first: number) => {
      coldCaches(svc.database);
      const before = svc.database.statements();
      const res = await svc.gql<{ agreements: { nodes: unknown[] } }>(LIST, { first }, "auditor");
      return { statements: svc.database.statements() - before, n: res.data!.agreements.nodes.length };
    };
    const one = await run(1);
    const all = await run(10);
    expect([one.n, all.n]).toEqual([1, 2]);
    expect(all.statements).toBe(one.statements);
  });
});

describe("renewing and ending agreements", () => {
  it("renews: a later end date and new quantities count at once, logged with both versions", async () => {
    const res = await mutate<{ agreement: AgreementView }>(
      svc,
      "updateAgreement",
      "UpdateAgreementInput",
      AGREEMENT,
      {
        agreementId: tentAgreement,
        validUntil: "2027-12-31",
        lines: [{ itemId: ids.item("TENT"), quantity: "400" }],
      },
    );
    expect(res.userErrors).toEqual([]);
    expect(res.agreement.validUntil).toBe("2027-12-31");
    expect(await callable(w.county, "TENT", "2027-06-01")).toEqual({ quantity: "400", hours: 8 });
    expect(await endingSoon(w.county)).toEqual([]);
    const [log] = await auditRows(svc, "updateAgreement");
    expect(log).toMatchObject({
      before: expect.objectContaining({
        validUntil: "2026-12-31",
        lines: [expect.objectContaining({ quantity: "300.000" })],
      }),
      after: expect.objectContaining({
        validUntil: "2027-12-31",
        lines: [expect.objectContaining({ quantity: "400.000" })],
      }),
    });
  });

  it("ends an agreement early: coverage stops counting it from that day, and it takes no more changes", async () => {
    const res = await mutate<{ agreement: AgreementView }>(
      svc,
      "endAgreement",
      "EndAgreementInput",
      AGREEMENT,
      {
        agreementId: tentAgreement,
        reason: "供应商停业",
      },
    );
    expect(res.userErrors).toEqual([]);
    expect(res.agreement.endedAt).toBe(NOW.toISOString());
    expect(await callable(w.county, "TENT")).toEqual({ quantity: "0", hours: null });
    // looking back, it counted on the days before it ended
    expect(await callable(w.county, "TENT", "2026-11-23")).toEqual({ quantity: "400", hours: 8 });
    const before = await snapshot();
    const again = await mutate(svc, "endAgreement", "EndAgreementInput", AGREEMENT, {
      agreementId: tentAgreement,
      reason: "x",
    });
    expect(again.userErrors[0]?.code).toBe("INVALID_TRANSITION");
    const change = await mutate(svc, "updateAgreement", "UpdateAgreementInput", AGREEMENT, {
      agreementId: tentAgreement,
      leadHours: 4,
    });
    expect(change.userErrors[0]?.code).toBe("INVALID_TRANSITION");
    expect(await snapshot()).toEqual(before);
  });
});
