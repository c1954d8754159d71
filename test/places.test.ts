import { afterAll, beforeAll, describe, expect, it } from "vitest";
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
import { query, sql } from "./support/sql.js";

const NOW = new Date("2026-11-24T02:00:00Z");
let svc: TestService;
let w: AdminWorld;
beforeAll(async () => {
  svc = await startTestService({ clock: () => NOW });
  w = await adminWorld(svc);
});
afterAll(() => svc.stop());

const REGION = "region { id level divisionCode nameZh nameEn population parent { nameZh } }";
const createRegion = (input: Record<string, unknown>, as = ADMIN) =>
  mutate<{ region: { id: string; level: string; divisionCode: string } | null }>(
    svc,
    "createRegion",
    "CreateRegionInput",
    REGION,
    input,
    as,
  );

/** What a refusal must leave as it was: regions, their closure and the administration log. */
const snapshot = async () => ({
  regions: await countRows(svc, "regions"),
  paths: await countRows(svc, "region_paths"),
  links: await countRows(svc, "region_neighbours"),
  audit: await countRows(svc, "audit_events"),
});

describe("creating regions", () => {
  it("adds a township under the county and a village under it, with the closure table and an audit row each", async () => {
    const town = await createRegion({
      parentId: w.county,
      divisionCode: "411099150",
      nameZh: "新安镇",
      nameEn: "Xin'an Town",
      population: 30000,
    });
    expect(town.userErrors).toEqual([]);
    expect(town.region).toMatchObject({
      level: "TOWNSHIP",
      divisionCode: "411099150000",
      nameZh: "新安镇",
      parent: { nameZh: "清河县" },
    });
    const village = await createRegion({
      parentId: town.region!.id,
      divisionCode: "411099150201",
      nameZh: "新安村",
      population: 1200,
    });
    expect(village.region).toMatchObject({ level: "VILLAGE", divisionCode: "411099150201", nameEn: "" });
    const paths = await query<{ ancestor: string; depth: number }>(
      svc.database,
      sql`select a.name_zh as ancestor, p.depth from region_paths p
            join regions d on d.county_id = p.county_id and d.id = p.descendant_id
            join regions a on a.county_id = p.county_id and a.id = p.ancestor_id
           where d.name_zh = '新安村' order by p.depth`,
    );
    expect(paths).toEqual([
      { ancestor: "新安村", depth: 0 },
      { ancestor: "新安镇", depth: 1 },
      { ancestor: "清河县", depth: 2 },
    ]);
    // the demo county's regions were created by its import: this test's two are the last
    const log = (await auditRows(svc, "createRegion")).slice(-2);
    expect(log.map((r) => [r.target_type, (r.after as { nameZh: string }).nameZh, r.before])).toEqual([
      ["Region", "新安镇", null],
      ["Region", "新安村", null],
    ]);
    // the new township is a child of the county at once (the region copy was refreshed)
    const res = await svc.gql<{ region: { children: { nameZh: string }[] } }>(
      "query($id: ID!) { region(id: $id) { children { nameZh } } }",
      { id: town.region!.id },
      "auditor",
    );
    expect(res.data!.region.children).toEqual([{ nameZh: "新安村" }]);
  });

  it("refuses a duplicate division code, a code outside its parent and a child of a village, writing nothing", async () => {
    const before = await snapshot();
    const dup = await createRegion({
      parentId: w.county,
      divisionCode: "411099100000",
      nameZh: "重复镇",
      population: 1,
    });
    expect(dup.userErrors).toEqual([
      expect.objectContaining({ code: "DUPLICATE", field: ["input", "divisionCode"] }),
    ]);
    expect(dup.region).toBeNull();
    for (const code of ["411088160000", "411099000000", "411099160001", "4110991601"]) {
      const bad = await createRegion({
        parentId: w.county,
        divisionCode: code,
        nameZh: "外镇",
        population: 1,
      });
      expect(bad.userErrors[0]?.code, code).toMatch(/DIVISION_CODE_NOT_UNDER_PARENT|INVALID_INPUT/);
    }
    const outside = await createRegion({
      parentId: w.region("城关镇"),
      divisionCode: "411099101201",
      nameZh: "错村",
      population: 1,
    });
    expect(outside.userErrors[0]?.code).toBe("DIVISION_CODE_NOT_UNDER_PARENT");
    const underVillage = await createRegion({
      parentId: w.region("东关村"),
      divisionCode: "411099100201",
      nameZh: "组",
      population: 1,
    });
    expect(underVillage.userErrors[0]?.code).toBe("INVALID_INPUT");
    const noName = await createRegion({
      parentId: w.county,
      divisionCode: "411099170",
      nameZh: " ",
      population: 1,
    });
    expect(noName.userErrors[0]).toMatchObject({ code: "INVALID_INPUT", field: ["input", "nameZh"] });
    expect(await snapshot()).toEqual(before);
  });

  it("answers an administrator of another county NOT_FOUND, and refuses auditors and township officers", async () => {
    const before = await snapshot();
    const input = { parentId: w.county, divisionCode: "411099180", nameZh: "他镇", population: 1 };
    const stranger = await createRegion(input, OTHER_ADMIN);
    expect(stranger.userErrors[0]?.code).toBe("NOT_FOUND");
    for (const who of ["auditor", "chengguan.officer", "county.officer", "chengguan.keeper"]) {
      expect(await topLevelCode(svc, "createRegion", "CreateRegionInput", input, who), who).toBe("FORBIDDEN");
    }
    expect(await snapshot()).toEqual(before);
  });
});

describe("retries", () => {
  it("a retry with the same key answers the first region and writes nothing more; other input is refused", async () => {
    const input = {
      parentId: w.county,
      divisionCode: "411099190",
      nameZh: "重试镇",
      population: 10,
      idempotencyKey: "r-1",
    };
    const first = await createRegion(input);
    const before = await snapshot();
    const again = await createRegion(input);
    expect(again.region?.id).toBe(first.region!.id);
    expect(await snapshot()).toEqual(before);
    const other = await createRegion({ ...input, population: 11 });
    expect(other.userErrors[0]?.code).toBe("IDEMPOTENCY_KEY_PARAMETER_MISMATCH");
    expect(await snapshot()).toEqual(before);
  });
});

describe("updating a region", () => {
  const COVERAGE = `query($r: ID!) { coverage(regionId: $r) { lines { item { code } required } } }`;
  const jacketsRequired = async () => {
    const res = await svc.gql<{ coverage: { lines: { item: { code: string }; required: string }[] } }>(
      COVERAGE,
      { r: w.region("河口镇") },
      "county.officer",
    );
    return res.data!.coverage.lines.find((l) => l.item.code === "LIFE_JACKET")?.required;
  };

  it("changes names and population; coverage per 1,000 residents follows at once", async () => {
    expect(await jacketsRequired()).toBe("62");
    const res = await mutate<{ region: { population: number; nameEn: string } }>(
      svc,
      "updateRegion",
      "UpdateRegionInput",
      REGION,
      { regionId: w.region("河口镇"), population: 80000, nameEn: "Hekou" },
    );
    expect(res.userErrors).toEqual([]);
    expect(res.region).toMatchObject({ population: 80000, nameEn: "Hekou", nameZh: "河口镇" });
    expect(await jacketsRequired()).toBe("80");
    const [row] = await auditRows(svc, "updateRegion");
    expect(row).toMatchObject({
      target_type: "Region",
      before: expect.objectContaining({ population: 62000 }),
      after: expect.objectContaining({ population: 80000 }),
    });
  });

  it("refuses a negative population and writes nothing", async () => {
    const before = await snapshot();
    const res = await mutate(svc, "updateRegion", "UpdateRegionInput", REGION, {
      regionId: w.region("河口镇"),
      population: -1,
    });
    expect(res.userErrors[0]).toMatchObject({ code: "INVALID_INPUT", field: ["input", "population"] });
    expect(await snapshot()).toEqual(before);
    const [row] = await query<{ population: number }>(
      svc.database,
      sql`select population from regions where name_zh = '河口镇'`,
    );
    expect(row!.population).toBe(80000);
  });
});

describe("mutual aid between townships", () => {
  const SEL = "region { nameZh neighbours { region { nameZh } travelMinutes } } neighbour { nameZh }";
  const links = () =>
    query<{ a: string; b: string; m: number }>(
      svc.database,
      sql`select a.name_zh as a, b.name_zh as b, n.travel_minutes as m from region_neighbours n
            join regions a on a.county_id = n.county_id and a.id = n.region_id
            join regions b on b.county_id = n.county_id and b.id = n.neighbour_id
           where a.name_zh in ('石桥镇', '马营乡') and b.name_zh in ('石桥镇', '马营乡') order by a.name_zh`,
    );

  it("links two townships both ways, changes the time, and removes the link, each logged", async () => {
    const set = await mutate(svc, "setMutualAid", "SetMutualAidInput", SEL, {
      regionId: w.region("石桥镇"),
      neighbourId: w.region("马营乡"),
      travelMinutes: 45,
    });
    expect(set.userErrors).toEqual([]);
    expect(await links()).toEqual([
      { a: "石桥镇", b: "马营乡", m: 45 },
      { a: "马营乡", b: "石桥镇", m: 45 },
    ]);
    await mutate(svc, "setMutualAid", "SetMutualAidInput", SEL, {
      regionId: w.region("马营乡"),
      neighbourId: w.region("石桥镇"),
      travelMinutes: 40,
    });
    expect((await links()).map((l) => l.m)).toEqual([40, 40]);
    const removed = await mutate(svc, "removeMutualAid", "RemoveMutualAidInput", SEL, {
      regionId: w.region("石桥镇"),
      neighbourId: w.region("马营乡"),
    });
    expect(removed.userErrors).toEqual([]);
    expect(await links()).toEqual([]);
    // the demo county's links were set by its import: this test's two are the last
    const log = [
      ...(await auditRows(svc, "setMutualAid")).slice(-2),
      ...(await auditRows(svc, "removeMutualAid")),
    ];
    expect(log.map((r) => [r.action, r.before, r.after])).toEqual([
      ["setMutualAid", null, { neighbourId: expect.any(Number), travelMinutes: 45 }],
      [
        "setMutualAid",
        { neighbourId: expect.any(Number), travelMinutes: 45 },
        { neighbourId: expect.any(Number), travelMinutes: 40 },
      ],
      ["removeMutualAid", { neighbourId: expect.any(Number), travelMinutes: 40 }, null],
    ]);
  });

  it("links townships only, never a region to itself, and removes only what exists", async () => {
    const before = await snapshot();
    const village = await mutate(svc, "setMutualAid", "SetMutualAidInput", SEL, {
      regionId: w.region("石桥镇"),
      neighbourId: w.region("东关村"),
      travelMinutes: 10,
    });
    expect(village.userErrors[0]).toMatchObject({ code: "INVALID_INPUT", field: ["input", "neighbourId"] });
    const self = await mutate(svc, "setMutualAid", "SetMutualAidInput", SEL, {
      regionId: w.region("石桥镇"),
      neighbourId: w.region("石桥镇"),
      travelMinutes: 10,
    });
    expect(self.userErrors[0]?.code).toBe("INVALID_INPUT");
    const zero = await mutate(svc, "setMutualAid", "SetMutualAidInput", SEL, {
      regionId: w.region("石桥镇"),
      neighbourId: w.region("马营乡"),
      travelMinutes: 0,
    });
    expect(zero.userErrors[0]?.field).toEqual(["input", "travelMinutes"]);
    const none = await mutate(svc, "removeMutualAid", "RemoveMutualAidInput", SEL, {
      regionId: w.region("石桥镇"),
      neighbourId: w.region("马营乡"),
    });
    expect(none.userErrors[0]?.code).toBe("NOT_FOUND");
    const stranger = await mutate(
      svc,
      "setMutualAid",
      "SetMutualAidInput",
      SEL,
      { regionId: w.region("石桥镇"), neighbourId: w.region("马营乡"), travelMinutes: 5 },
      OTHER_ADMIN,
    );
    expect(stranger.userErrors[0]?.code).toBe("NOT_FOUND");
    expect(await snapshot()).toEqual(before);
  });
});
