import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditMark, auditSince } from "./support/adminFactories.js";
import { countRows, mutate, topLevelCode } from "./support/admin.js";
import {
  aCounty,
  anItem,
  aVillage,
  mutation,
  type ProvisionedCounty,
  type Region,
  unique,
} from "./support/factories.js";
import { startTestService, type TestService } from "./support/service.js";
import { query, sql } from "./support/sql.js";

const NOW = new Date("2026-11-24T02:00:00Z");
let svc: TestService;
/** Four townships (20,000 residents each, none linked) and a village under the first; and a second county. */
let county: ProvisionedCounty;
let village: Region;
let other: ProvisionedCounty;
beforeAll(async () => {
  svc = await startTestService({ clock: () => NOW });
  county = await aCounty(svc, { townships: 4 });
  village = await aVillage(county.townships[0]!);
  other = await aCounty(svc);
});
afterAll(() => svc.stop());

const REGION = "region { id level divisionCode nameZh nameEn population parent { nameZh } }";
const createRegion = (input: Record<string, unknown>, as = county.admin) =>
  mutate<{ region: { id: string; level: string; divisionCode: string } | null }>(
    svc,
    "createRegion",
    "CreateRegionInput",
    REGION,
    input,
    as,
  );
/** The county's first six digits and a township's own three: a township code of this county. */
const townshipCode = (own: string) => `${county.divisionCode.slice(0, 6)}${own}`;

/** What a refusal must leave as it was: regions, their closure and the administration log. */
const snapshot = async () => ({
  regions: await countRows(svc, "regions"),
  paths: await countRows(svc, "region_paths"),
  links: await countRows(svc, "region_neighbours"),
  audit: await countRows(svc, "audit_events"),
});

describe("creating regions", () => {
  it("adds a township under the county and a village under it, with the closure table and an audit row each", async () => {
    const n = unique();
    const mark = await auditMark(svc);

    const town = await createRegion({
      parentId: county.id,
      divisionCode: townshipCode("150"),
      nameZh: `新安${n}镇`,
      nameEn: "Xin'an Town",
      population: 30000,
    });
    const child = await createRegion({
      parentId: town.region!.id,
      divisionCode: `${townshipCode("150")}201`,
      nameZh: `新安${n}村`,
      population: 1200,
    });

    expect(town.userErrors).toEqual([]);
    expect(town.region).toMatchObject({
      level: "TOWNSHIP",
      divisionCode: `${townshipCode("150")}000`,
      nameZh: `新安${n}镇`,
      parent: { nameZh: county.nameZh },
    });
    expect(child.region).toMatchObject({
      level: "VILLAGE",
      divisionCode: `${townshipCode("150")}201`,
      nameEn: "",
    });
    const paths = await query<{ ancestor: string; depth: number }>(
      svc.database,
      sql`select a.name_zh as ancestor, p.depth from region_paths p
            join regions d on d.county_id = p.county_id and d.id = p.descendant_id
            join regions a on a.county_id = p.county_id and a.id = p.ancestor_id
           where d.county_id = ${county.countyId} and d.name_zh = ${`新安${n}村`} order by p.depth`,
    );
    expect(paths).toEqual([
      { ancestor: `新安${n}村`, depth: 0 },
      { ancestor: `新安${n}镇`, depth: 1 },
      { ancestor: county.nameZh, depth: 2 },
    ]);
    const log = await auditSince(svc, mark);
    expect(
      log.map((r) => [r.action, r.target_type, (r.after as { nameZh: string }).nameZh, r.before]),
    ).toEqual([
      ["createRegion", "Region", `新安${n}镇`, null],
      ["createRegion", "Region", `新安${n}村`, null],
    ]);
    // the new township is a child of the county at once (the region copy was refreshed)
    const res = await svc.gql<{ region: { children: { nameZh: string }[] } }>(
      "query($id: ID!) { region(id: $id) { children { nameZh } } }",
      { id: town.region!.id },
      county.auditor,
    );
    expect(res.data!.region.children).toEqual([{ nameZh: `新安${n}村` }]);
  });

  it("refuses a duplicate division code, a code outside its parent and a child of a village, writing nothing", async () => {
    const [first, second] = county.townships;
    const before = await snapshot();

    const dup = await createRegion({
      parentId: county.id,
      divisionCode: first!.divisionCode,
      nameZh: "重复镇",
      population: 1,
    });
    const bad = [
      `${other.divisionCode.slice(0, 6)}160000`, // another county's prefix
      county.divisionCode, // no digits of its own
      `${townshipCode("160")}001`, // a village's digits under the county
      `${townshipCode("160")}1`, // neither 9 nor 12 digits
    ];
    const badCodes = [];
    for (const code of bad) {
      badCodes.push(
        await createRegion({ parentId: county.id, divisionCode: code, nameZh: "外镇", population: 1 }),
      );
    }
    const outside = await createRegion({
      parentId: first!.id,
      divisionCode: `${second!.divisionCode.slice(0, 9)}201`,
      nameZh: "错村",
      population: 1,
    });
    const underVillage = await createRegion({
      parentId: village.id,
      divisionCode: `${first!.divisionCode.slice(0, 9)}299`,
      nameZh: "组",
      population: 1,
    });
    const noName = await createRegion({
      parentId: county.id,
      divisionCode: townshipCode("170"),
      nameZh: " ",
      population: 1,
    });

    expect(dup.userErrors).toEqual([
      expect.objectContaining({ code: "DUPLICATE", field: ["input", "divisionCode"] }),
    ]);
    expect(dup.region).toBeNull();
    expect(badCodes.map((r) => r.userErrors.map((e) => e.code))).toEqual([
      ["DIVISION_CODE_NOT_UNDER_PARENT"],
      ["DIVISION_CODE_NOT_UNDER_PARENT"],
      ["DIVISION_CODE_NOT_UNDER_PARENT"],
      ["INVALID_INPUT"],
    ]);
    expect(outside.userErrors[0]?.code).toBe("DIVISION_CODE_NOT_UNDER_PARENT");
    expect(underVillage.userErrors[0]?.code).toBe("INVALID_INPUT");
    expect(noName.userErrors[0]).toMatchObject({ code: "INVALID_INPUT", field: ["input", "nameZh"] });
    expect(await snapshot()).toEqual(before);
  });

  it("answers an administrator of another county NOT_FOUND, and refuses auditors and township officers", async () => {
    const [town] = county.townships;
    const input = { parentId: county.id, divisionCode: townshipCode("180"), nameZh: "他镇", population: 1 };
    const before = await snapshot();

    const stranger = await createRegion(input, other.admin);
    const forbidden: Record<string, string | undefined> = {};
    for (const who of [county.auditor, town!.officer, county.officer, town!.depot.keeper]) {
      forbidden[who] = await topLevelCode(svc, "createRegion", "CreateRegionInput", input, who);
    }

    expect(stranger.userErrors[0]?.code).toBe("NOT_FOUND");
    expect(Object.values(forbidden)).toEqual(["FORBIDDEN", "FORBIDDEN", "FORBIDDEN", "FORBIDDEN"]);
    expect(await snapshot()).toEqual(before);
  });
});

describe("retries", () => {
  it("a retry with the same key answers the first region and writes nothing more; other input is refused", async () => {
    const input = {
      parentId: county.id,
      divisionCode: townshipCode("190"),
      nameZh: "重试镇",
      population: 10,
      idempotencyKey: `r-${unique()}`,
    };
    const first = await createRegion(input);
    const before = await snapshot();

    const again = await createRegion(input);
    const other = await createRegion({ ...input, population: 11 });

    expect(first.userErrors).toEqual([]);
    expect(again.region?.id).toBe(first.region!.id);
    expect(other.userErrors[0]?.code).toBe("IDEMPOTENCY_KEY_PARAMETER_MISMATCH");
    expect(await snapshot()).toEqual(before);
  });
});

describe("updating a region", () => {
  const COVERAGE = `query($r: ID!) { coverage(regionId: $r) { lines { item { code } required } } }`;
  const required = async (region: Region, code: string) => {
    const res = await svc.gql<{ coverage: { lines: { item: { code: string }; required: string }[] } }>(
      COVERAGE,
      { r: region.id },
      county.officer,
    );
    return res.data!.coverage.lines.find((l) => l.item.code === code)?.required;
  };
  const population = async (region: Region) => {
    const res = await svc.gql<{ region: { population: number } }>(
      "query($id: ID!) { region(id: $id) { population } }",
      { id: region.id },
      county.auditor,
    );
    return res.data!.region.population;
  };

  it("changes names and population; coverage per 1,000 residents follows at once", async () => {
    const town = county.townships[1]!; // 20,000 residents
    const jackets = await anItem(county);
    await mutation(
      svc,
      county.officer,
      "setReserveNorm",
      "SetReserveNormInput",
      {
        countyId: county.id,
        itemId: jackets.id,
        regionId: town.id,
        basis: "PER_THOUSAND_RESIDENTS",
        quantity: "1",
      },
      "norm { quantity }",
    );
    expect(await required(town, jackets.code)).toBe("20");
    const mark = await auditMark(svc);

    const res = await mutate<{ region: { population: number; nameEn: string } }>(
      svc,
      "updateRegion",
      "UpdateRegionInput",
      REGION,
      { regionId: town.id, population: 80000, nameEn: "Hekou" },
      county.admin,
    );

    expect(res.userErrors).toEqual([]);
    expect(res.region).toMatchObject({ population: 80000, nameEn: "Hekou", nameZh: town.nameZh });
    expect(await required(town, jackets.code)).toBe("80");
    expect(await auditSince(svc, mark)).toEqual([
      expect.objectContaining({
        action: "updateRegion",
        target_type: "Region",
        target_id: town.regionId,
        before: expect.objectContaining({ population: 20000 }),
        after: expect.objectContaining({ population: 80000 }),
      }),
    ]);
  });

  it("refuses a negative population and writes nothing", async () => {
    const town = county.townships[0]!;
    const before = await snapshot();

    const res = await mutate(
      svc,
      "updateRegion",
      "UpdateRegionInput",
      REGION,
      { regionId: town.id, population: -1 },
      county.admin,
    );

    expect(res.userErrors[0]).toMatchObject({ code: "INVALID_INPUT", field: ["input", "population"] });
    expect(await snapshot()).toEqual(before);
    expect(await population(town)).toBe(20000);
  });
});

describe("mutual aid between townships", () => {
  const SEL = "region { nameZh neighbours { region { nameZh } travelMinutes } } neighbour { nameZh }";
  const links = (a: Region, b: Region) =>
    query<{ a: string; b: string; m: number }>(
      svc.database,
      sql`select a.name_zh as a, b.name_zh as b, n.travel_minutes as m from region_neighbours n
            join regions a on a.county_id = n.county_id and a.id = n.region_id
            join regions b on b.county_id = n.county_id and b.id = n.neighbour_id
           where n.county_id = ${county.countyId}
             and n.region_id in (${a.regionId}, ${b.regionId}) and n.neighbour_id in (${a.regionId}, ${b.regionId})
           order by n.region_id = ${a.regionId} desc`,
    );
  const aid = (field: string, input: Record<string, unknown>, as = county.admin) =>
    mutate(
      svc,
      field,
      field === "setMutualAid" ? "SetMutualAidInput" : "RemoveMutualAidInput",
      SEL,
      input,
      as,
    );

  it("links two townships both ways, changes the time, and removes the link, each logged", async () => {
    const [a, b] = [county.townships[2]!, county.townships[3]!];
    const mark = await auditMark(svc);

    const set = await aid("setMutualAid", { regionId: a.id, neighbourId: b.id, travelMinutes: 45 });
    const linked = await links(a, b);
    await aid("setMutualAid", { regionId: b.id, neighbourId: a.id, travelMinutes: 40 });
    const changed = await links(a, b);
    const removed = await aid("removeMutualAid", { regionId: a.id, neighbourId: b.id });

    expect(set.userErrors).toEqual([]);
    expect(linked).toEqual([
      { a: a.nameZh, b: b.nameZh, m: 45 },
      { a: b.nameZh, b: a.nameZh, m: 45 },
    ]);
    expect(changed.map((l) => l.m)).toEqual([40, 40]);
    expect(removed.userErrors).toEqual([]);
    expect(await links(a, b)).toEqual([]);
    const log = await auditSince(svc, mark);
    expect(log.map((r) => [r.action, r.before, r.after])).toEqual([
      ["setMutualAid", null, { neighbourId: b.regionId, travelMinutes: 45 }],
      [
        "setMutualAid",
        { neighbourId: a.regionId, travelMinutes: 45 },
        { neighbourId: a.regionId, travelMinutes: 40 },
      ],
      ["removeMutualAid", { neighbourId: b.regionId, travelMinutes: 40 }, null],
    ]);
  });

  it("links townships only, never a region to itself, and removes only what exists", async () => {
    const [a, b] = [county.townships[0]!, county.townships[1]!];
    const before = await snapshot();

    const toVillage = await aid("setMutualAid", {
      regionId: a.id,
      neighbourId: village.id,
      travelMinutes: 10,
    });
    const self = await aid("setMutualAid", { regionId: a.id, neighbourId: a.id, travelMinutes: 10 });
    const zero = await aid("setMutualAid", { regionId: a.id, neighbourId: b.id, travelMinutes: 0 });
    const none = await aid("removeMutualAid", { regionId: a.id, neighbourId: b.id });
    const stranger = await aid(
      "setMutualAid",
      { regionId: a.id, neighbourId: b.id, travelMinutes: 5 },
      other.admin,
    );

    expect(toVillage.userErrors[0]).toMatchObject({ code: "INVALID_INPUT", field: ["input", "neighbourId"] });
    expect(self.userErrors[0]?.code).toBe("INVALID_INPUT");
    expect(zero.userErrors[0]?.field).toEqual(["input", "travelMinutes"]);
    expect(none.userErrors[0]?.code).toBe("NOT_FOUND");
    expect(stranger.userErrors[0]?.code).toBe("NOT_FOUND");
    expect(await snapshot()).toEqual(before);
    expect(await links(a, b)).toEqual([]);
  });
});
