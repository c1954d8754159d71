import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditMark, auditSince } from "./support/adminFactories.js";
import { coldCaches } from "./support/caches.js";
import { countRows, mutate, topLevelCode } from "./support/admin.js";
import {
  aCounty,
  type Depot,
  type Item,
  mutation,
  type ProvisionedCounty,
  type Region,
  unique,
} from "./support/factories.js";
import { startTestService, type TestService } from "./support/service.js";
import { aLotOf, aNorm } from "./support/stockFactories.js";

// 2026-11-24 in Shanghai: an agreement valid until 2026-12-31 ends within 60 days
const NOW = new Date("2026-11-24T02:00:00Z");
let svc: TestService;
/** A second county, for its administrator. */
let other: ProvisionedCounty;
beforeAll(async () => {
  svc = await startTestService({ clock: () => NOW });
  other = await aCounty(svc);
});
afterAll(() => svc.stop());

/**
 * A county of its own for each test (coverage, readiness and the agreement list are county-wide): one township, a
 * distributor's depot (an agreement reserve, 12 hours to call up) and a county warehouse; tents, quilts and woven
 * bags; and the contract numbers its agreements take.
 */
async function aWorld() {
  const county = await aCounty(svc, {
    townships: 1,
    countyDepots: ["AGREEMENT_RESERVE", "COUNTY_WAREHOUSE"],
    items: [{}, {}, {}],
  });
  const [reserve, warehouse] = county.depots as [Depot, Depot];
  const [tents, quilts, bags] = county.items as [Item, Item, Item];
  const n = unique();
  return {
    county,
    township: county.townships[0]!,
    reserve,
    warehouse,
    tents,
    quilts,
    bags,
    contract: (i: number) => `QH-XY-${n}-0${i}`,
  };
}
type World = Awaited<ReturnType<typeof aWorld>>;

const AGREEMENT =
  "agreement { id supplier contact contractNo validFrom validUntil leadHours endedAt region { nameZh } depot { code } lines { item { code } quantity } }";
type AgreementView = { id: string; validUntil: string; endedAt: string | null };
const create = (w: World, input: Record<string, unknown>, as = w.county.admin) =>
  mutate<{ agreement: AgreementView | null }>(
    svc,
    "createAgreement",
    "CreateAgreementInput",
    AGREEMENT,
    input,
    as,
  );

/** 300 tents from the distributor, held at its depot, for the county, valid through 2026. */
const tentsFor = (w: World, extra: Record<string, unknown> = {}) => ({
  regionId: w.county.id,
  supplier: "华联商贸有限公司",
  contact: "周经理 13800000000",
  contractNo: w.contract(1),
  validFrom: "2026-01-01",
  validUntil: "2026-12-31",
  leadHours: 8,
  lines: [{ itemId: w.tents.id, quantity: "300" }],
  depotId: w.reserve.id,
  ...extra,
});
/** 5,000 woven bags for the township, valid until mid-2027, not held at any depot. */
const bagsFor = (w: World) =>
  tentsFor(w, {
    regionId: w.township.id,
    contractNo: w.contract(2),
    validUntil: "2027-06-30",
    leadHours: 24,
    depotId: null,
    lines: [{ itemId: w.bags.id, quantity: "5000" }],
  });

/** An agreement the county's administrator has recorded: a refusal is a broken test. */
const anAgreement = async (w: World, input: Record<string, unknown>) =>
  (
    await mutation<{ agreement: { id: string } }>(
      svc,
      w.county.admin,
      "createAgreement",
      "CreateAgreementInput",
      input,
      "agreement { id }",
    )
  ).agreement.id;

const callable = async (w: World, region: Region | string, item: Item, asOf?: string) => {
  const res = await svc.gql<{
    coverage: {
      lines: { item: { code: string }; agreementCallable: string; callUpLeadHours: number | null }[];
    };
  }>(
    "query($r: ID!, $d: String) { coverage(regionId: $r, asOf: $d) { lines { item { code } agreementCallable callUpLeadHours } } }",
    { r: typeof region === "string" ? region : region.id, d: asOf ?? null },
    w.county.officer,
  );
  const line = res.data!.coverage.lines.find((l) => l.item.code === item.code)!;
  return { quantity: line.agreementCallable, hours: line.callUpLeadHours };
};

const endingSoon = async (w: World, region: string) => {
  const res = await svc.gql<{
    readiness: { nodes: { agreementsEndingWithin60Days: { contractNo: string }[] }[] };
  }>(
    "query($r: ID!) { readiness(regionId: $r, first: 1) { nodes { agreementsEndingWithin60Days { contractNo } } } }",
    { r: region },
    w.county.officer,
  );
  return res.data!.readiness.nodes[0]!.agreementsEndingWithin60Days.map((a) => a.contractNo);
};

const snapshot = async () => ({
  agreements: await countRows(svc, "agreements"),
  lines: await countRows(svc, "agreement_lines"),
  audit: await countRows(svc, "audit_events"),
});

describe("recording agreement reserves (协议储备)", () => {
  it("counts agreed quantities in coverage only on days the contract is valid", async () => {
    const w = await aWorld();
    await aNorm(w.county, w.tents, w.county.id, "100");
    await aNorm(w.county, w.quilts, w.county.id, "100");
    await aLotOf(w.reserve, w.quilts, "1000");
    expect(await callable(w, w.county.id, w.tents)).toEqual({ quantity: "0", hours: null });
    // the distributor's depot without a contract on file counts by its lots, as before
    expect(await callable(w, w.county.id, w.quilts)).toEqual({ quantity: "1000", hours: 12 });
    const mark = await auditMark(svc);

    const res = await create(w, tentsFor(w));

    expect(res.userErrors).toEqual([]);
    expect(res.agreement).toMatchObject({
      contractNo: w.contract(1),
      region: { nameZh: w.county.nameZh },
      depot: { code: w.reserve.code },
      lines: [{ item: { code: w.tents.code }, quantity: "300" }],
      endedAt: null,
    });
    expect(await callable(w, w.county.id, w.tents)).toEqual({ quantity: "300", hours: 8 });
    // once a contract books that depot, the contract is what counts: its lots are not counted twice
    expect(await callable(w, w.county.id, w.quilts)).toEqual({ quantity: "0", hours: null });
    expect(await callable(w, w.county.id, w.tents, "2027-01-01")).toEqual({ quantity: "0", hours: null });
    expect(await callable(w, w.county.id, w.tents, "2025-12-31")).toEqual({ quantity: "0", hours: null });
    expect(await auditSince(svc, mark)).toEqual([
      expect.objectContaining({
        action: "createAgreement",
        target_type: "Agreement",
        before: null,
        after: expect.objectContaining({
          contractNo: w.contract(1),
          lines: [expect.objectContaining({ quantity: "300.000" })],
        }),
      }),
    ]);
  });

  it("counts a township's agreement for the township, and shows contracts ending within 60 days in readiness", async () => {
    const w = await aWorld();
    await aNorm(w.county, w.bags, w.township.id, "100");
    await anAgreement(w, tentsFor(w));

    const bags = await create(w, bagsFor(w));

    expect(bags.userErrors).toEqual([]);
    expect(await callable(w, w.township, w.bags)).toEqual({ quantity: "5000", hours: 24 });
    expect(await endingSoon(w, w.county.id)).toEqual([w.contract(1)]);
    expect(await endingSoon(w, w.township.id)).toEqual([]);
  });

  it("lists agreements by region and by the day they are valid on", async () => {
    const w = await aWorld();
    await anAgreement(w, tentsFor(w));
    await anAgreement(w, bagsFor(w));
    const LIST = `query($r: ID, $d: String) { agreements(first: 10, regionId: $r, validOn: $d) { nodes { contractNo } } }`;
    const list = async (vars: Record<string, unknown>, as = w.county.auditor) =>
      (
        await svc.gql<{ agreements: { nodes: { contractNo: string }[] } }>(LIST, vars, as)
      ).data!.agreements.nodes.map((n) => n.contractNo);

    expect(await list({})).toEqual([w.contract(1), w.contract(2)]);
    expect(await list({ r: w.township.id })).toEqual([w.contract(2)]);
    expect(await list({ d: "2027-03-01" })).toEqual([w.contract(2)]);
    expect(await list({}, w.township.depot.keeper)).toEqual([]);
    expect(await list({}, other.admin)).toEqual([]);
    // a contract not yet begun is on the list whenever no day is asked, whether the argument is left out or null
    await anAgreement(
      w,
      tentsFor(w, { contractNo: w.contract(3), validFrom: "2027-06-01", validUntil: "2028-05-31" }),
    );
    const unasked = await svc.gql<{ agreements: { nodes: { contractNo: string }[] } }>(
      `{ agreements(first: 10) { nodes { contractNo } } }`,
      {},
      w.county.auditor,
    );
    expect(unasked.data!.agreements.nodes.map((n) => n.contractNo)).toEqual([
      w.contract(1),
      w.contract(2),
      w.contract(3),
    ]);
    expect(await list({ d: null })).toEqual([w.contract(1), w.contract(2), w.contract(3)]);
    expect(await list({ d: "2027-03-01" })).toEqual([w.contract(2)]);
  });

  it("refuses a duplicate contract, a reversed validity, empty or repeated lines and a depot of another kind", async () => {
    const w = await aWorld();
    await anAgreement(w, tentsFor(w));
    const before = await snapshot();
    const tents = (quantity: string) => ({ itemId: w.tents.id, quantity });

    const duplicate = await create(w, tentsFor(w));
    const reversed = await create(
      w,
      tentsFor(w, { contractNo: "N1", validFrom: "2026-12-31", validUntil: "2026-01-01" }),
    );
    const badDate = await create(w, tentsFor(w, { contractNo: "N2", validFrom: "2026-13-01" }));
    const noLines = await create(w, tentsFor(w, { contractNo: "N3", lines: [] }));
    const twice = await create(w, tentsFor(w, { contractNo: "N4", lines: [tents("1"), tents("2")] }));
    const fraction = await create(w, tentsFor(w, { contractNo: "N5", lines: [tents("1.5")] }));
    const warehouse = await create(w, tentsFor(w, { contractNo: "N6", depotId: w.warehouse.id }));
    const noLead = await create(w, tentsFor(w, { contractNo: "N7", leadHours: 0 }));
    const stranger = await create(w, tentsFor(w, { contractNo: "N8" }), other.admin);
    const forbidden = [];
    for (const who of [w.county.auditor, w.township.officer, w.county.officer]) {
      forbidden.push(
        await topLevelCode(
          svc,
          "createAgreement",
          "CreateAgreementInput",
          tentsFor(w, { contractNo: "N9" }),
          who,
        ),
      );
    }

    expect(duplicate.userErrors[0]).toMatchObject({ code: "DUPLICATE", field: ["input", "contractNo"] });
    expect(reversed.userErrors[0]?.field).toEqual(["input", "validUntil"]);
    expect(badDate.userErrors[0]?.field).toEqual(["input", "validFrom"]);
    expect(noLines.userErrors[0]?.field).toEqual(["input", "lines"]);
    expect(twice.userErrors[0]?.code).toBe("INVALID_INPUT");
    expect(fraction.userErrors[0]?.code).toBe("INVALID_QUANTITY");
    expect(warehouse.userErrors[0]).toMatchObject({ code: "INVALID_INPUT", field: ["input", "depotId"] });
    expect(noLead.userErrors[0]?.field).toEqual(["input", "leadHours"]);
    expect(stranger.userErrors[0]?.code).toBe("NOT_FOUND");
    expect(forbidden).toEqual(["FORBIDDEN", "FORBIDDEN", "FORBIDDEN"]);
    expect(await snapshot()).toEqual(before);
  });
});

describe("agreement lists are batched", () => {
  it("agreements(first: 1) and agreements(first: 10) with region, depot and lines run the same number of statements", async () => {
    const w = await aWorld();
    await anAgreement(w, tentsFor(w));
    await anAgreement(w, bagsFor(w));
    const LIST = `query($first: Int) { agreements(first: $first) { nodes {
      contractNo region { nameZh } depot { code } lines { quantity item { code } } } } }`;
    const run = async (first: number) => {
      coldCaches(svc.database);
      const before = svc.database.statements();
      const res = await svc.gql<{ agreements: { nodes: unknown[] } }>(LIST, { first }, w.county.auditor);
      return { statements: svc.database.statements() - before, n: res.data!.agreements.nodes.length };
    };

    const one = await run(1);
    const all = await run(10);

    expect([one.n, all.n]).toEqual([1, 2]);
    expect(all.statements).toBe(one.statements);
  });
});

describe("renewing and ending agreements", () => {
  /** A county whose tents are under a norm and booked by the 300-tent agreement, valid through 2026. */
  async function withTentAgreement() {
    const w = await aWorld();
    await aNorm(w.county, w.tents, w.county.id, "100");
    return { w, agreementId: await anAgreement(w, tentsFor(w)) };
  }

  it("renews: a later end date and new quantities count at once, logged with both versions", async () => {
    const { w, agreementId } = await withTentAgreement();
    expect(await endingSoon(w, w.county.id)).toEqual([w.contract(1)]);
    const mark = await auditMark(svc);

    const res = await mutate<{ agreement: AgreementView }>(
      svc,
      "updateAgreement",
      "UpdateAgreementInput",
      AGREEMENT,
      { agreementId, validUntil: "2027-12-31", lines: [{ itemId: w.tents.id, quantity: "400" }] },
      w.county.admin,
    );

    expect(res.userErrors).toEqual([]);
    expect(res.agreement.validUntil).toBe("2027-12-31");
    expect(await callable(w, w.county.id, w.tents, "2027-06-01")).toEqual({ quantity: "400", hours: 8 });
    expect(await endingSoon(w, w.county.id)).toEqual([]);
    expect(await auditSince(svc, mark)).toEqual([
      expect.objectContaining({
        action: "updateAgreement",
        before: expect.objectContaining({
          validUntil: "2026-12-31",
          lines: [expect.objectContaining({ quantity: "300.000" })],
        }),
        after: expect.objectContaining({
          validUntil: "2027-12-31",
          lines: [expect.objectContaining({ quantity: "400.000" })],
        }),
      }),
    ]);
  });

  it("ends an agreement early: coverage stops counting it from that day, and it takes no more changes", async () => {
    const { w, agreementId } = await withTentAgreement();
    expect(await callable(w, w.county.id, w.tents)).toEqual({ quantity: "300", hours: 8 });

    const res = await mutate<{ agreement: AgreementView }>(
      svc,
      "endAgreement",
      "EndAgreementInput",
      AGREEMENT,
      { agreementId, reason: "供应商停业" },
      w.county.admin,
    );

    expect(res.userErrors).toEqual([]);
    expect(res.agreement.endedAt).toBe(NOW.toISOString());
    expect(await callable(w, w.county.id, w.tents)).toEqual({ quantity: "0", hours: null });
    // looking back, it counted on the days before it ended
    expect(await callable(w, w.county.id, w.tents, "2026-11-23")).toEqual({ quantity: "300", hours: 8 });
    const before = await snapshot();
    const again = await mutate(
      svc,
      "endAgreement",
      "EndAgreementInput",
      AGREEMENT,
      { agreementId, reason: "x" },
      w.county.admin,
    );
    expect(again.userErrors[0]?.code).toBe("INVALID_TRANSITION");
    const change = await mutate(
      svc,
      "updateAgreement",
      "UpdateAgreementInput",
      AGREEMENT,
      { agreementId, leadHours: 4 },
      w.county.admin,
    );
    expect(change.userErrors[0]?.code).toBe("INVALID_TRANSITION");
    expect(await snapshot()).toEqual(before);
  });
});
