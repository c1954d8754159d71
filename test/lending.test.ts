import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { WorldSeed } from "../src/app/setup/world.js";
import { loadWorld } from "../seeds/load.js";
import { demoCounty } from "../seeds/demo-county.js";
import { startTestService, type TestService } from "./support/service.js";

// What a region could lend is one rule (docs/decisions.md 40): coverage's neighbours and coverageGaps' nearest
// surplus must name the same region and the same quantity.
const NOW = new Date("2026-11-24T02:00:00Z");
let svc: TestService;
const ids: Record<string, string> = {};

const township = (divisionCode: string, nameZh: string, nameEn: string) => ({
  divisionCode,
  nameZh,
  nameEn,
  level: "TOWNSHIP" as const,
  population: 10000,
  villages: [],
});
const depot = (code: string, regionCode: string, kind: "COUNTY_WAREHOUSE" | "TOWNSHIP_DEPOT") => ({
  code,
  regionCode,
  kind,
  nameZh: `${code}库`,
  nameEn: code,
  address: "",
  custodianOrg: `${code}保管单位`,
  keepers: ["l.keeper"],
});
const bags = (depotCode: string, quantity: string) => ({
  depotCode,
  itemCode: "WOVEN_BAG",
  quantity,
  lotCode: `${depotCode}-BAGS`,
  receivedOn: "2026-01-01",
  source: "PURCHASE" as const,
  reason: "测试入库",
  recordedBy: "l.keeper",
});

/** Given: 丙镇 must hold 100 bags and holds 10; its neighbour 丁镇 has no norm for bags and holds 80. */
const world: WorldSeed = {
  units: demoCounty.units,
  items: demoCounty.items,
  county: {
    divisionCode: "411097000000",
    nameZh: "借用县",
    nameEn: "Lending County",
    level: "COUNTY",
    population: 20000,
    townships: [township("411097100000", "丙镇", "Bing Town"), township("411097101000", "丁镇", "Ding Town")],
    neighbours: [{ a: "411097100000", b: "411097101000", travelMinutes: 40 }],
  },
  depots: [
    depot("L-CW", "411097000000", "COUNTY_WAREHOUSE"),
    depot("L-BING", "411097100000", "TOWNSHIP_DEPOT"),
    depot("L-DING", "411097101000", "TOWNSHIP_DEPOT"),
  ],
  users: [
    {
      username: "l.auditor",
      displayName: "审计",
      organisation: "借用县",
      grants: [{ role: "AUDITOR", regionCode: "411097000000" }],
    },
    {
      username: "l.county",
      displayName: "县官",
      organisation: "借用县",
      grants: [{ role: "COUNTY_OFFICER", regionCode: "411097000000" }],
    },
    {
      username: "l.keeper",
      displayName: "保管",
      organisation: "借用县",
      grants: [{ role: "KEEPER", regionCode: "411097000000" }],
    },
  ],
  norms: [{ itemCode: "WOVEN_BAG", regionCode: "411097100000", basis: "ABSOLUTE", quantity: "100" }],
  receipts: [bags("L-BING", "10"), bags("L-DING", "80")],
};

beforeAll(async () => {
  svc = await startTestService({ clock: () => NOW });
  await loadWorld(svc.deps, world);
  const regions = await svc.gql<{ regions: { nodes: { id: string; nameZh: string }[] } }>(
    "{ regions(first: 100) { nodes { id nameZh } } }",
    {},
    "l.auditor",
  );
  for (const r of regions.data!.regions.nodes) ids[r.nameZh] = r.id;
});
afterAll(() => svc.stop());

describe("what a region could lend (decision 40)", () => {
  it("coverage's neighbours and coverageGaps' nearest surplus name the same lender and quantity", async () => {
    const coverage = await svc.gql<{
      coverage: {
        lines: {
          neighbours: { region: { nameZh: string }; quantity: string }[];
          neighbourLendable: string;
        }[];
      };
    }>(
      `query($r: ID!) { coverage(regionId: $r, includeNeighbours: true) { lines {
        neighbourLendable neighbours { region { nameZh } quantity } } } }`,
      { r: ids["丙镇"] },
      "l.auditor",
    );
    const gaps = await svc.gql<{
      coverageGaps: {
        nodes: {
          shortfall: string;
          line: { region: { nameZh: string } };
          nearestSurplus: { region: { nameZh: string }; quantity: string } | null;
        }[];
      };
    }>(
      `query($r: ID!) { coverageGaps(regionId: $r) { nodes { shortfall line { region { nameZh } }
        nearestSurplus { region { nameZh } quantity } } } }`,
      { r: ids["借用县"] },
      "l.auditor",
    );

    expect(coverage.errors).toBeUndefined();
    expect(coverage.data!.coverage.lines).toEqual([
      { neighbourLendable: "80", neighbours: [{ region: { nameZh: "丁镇" }, quantity: "80" }] },
    ]);
    expect(gaps.errors).toBeUndefined();
    expect(gaps.data!.coverageGaps.nodes).toEqual([
      {
        shortfall: "90",
        line: { region: { nameZh: "丙镇" } },
        nearestSurplus: { region: { nameZh: "丁镇" }, quantity: "80" },
      },
    ]);
  });
});
