import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mutate, topLevelCode } from "./support/admin.js";
import { auditMark, auditSince } from "./support/adminFactories.js";
import { coldCaches } from "./support/caches.js";
import { aCounty, aDepot, aVillage, type County, type ProvisionedCounty } from "./support/factories.js";
import {
  aLendingPair,
  anApprovedRequisition,
  aStockedItem,
  between,
  DISPATCH,
  type LendingPair,
  stepsOf,
} from "./support/requisitionFactories.js";
import { step, view } from "./support/requisitions.js";
import { startTestService, type TestService } from "./support/service.js";
import { query, sql } from "./support/sql.js";
import { books } from "./support/transit.js";
import { aVehicle, standing, type Vehicle } from "./support/vehicleFactories.js";

const NOW = new Date("2026-11-24T02:00:00Z");
let svc: TestService;
beforeAll(async () => (svc = await startTestService({ clock: () => NOW })));
afterAll(() => svc.stop());

const VEHICLE =
  "vehicle { id plate kind capacityTonnes seats owner driverContact status region { nameZh } homeDepot { code } }";
type VehicleView = { id: string; plate: string; status: string; capacityTonnes: string | null };
const register = (county: County, input: Record<string, unknown>, as = county.admin) =>
  mutate<{ vehicle: VehicleView | null }>(svc, "registerVehicle", "RegisterVehicleInput", VEHICLE, input, as);
const setStatus = (county: County, vehicle: Vehicle, status: string, as = county.admin) =>
  mutate<{ vehicle: VehicleView | null }>(
    svc,
    "setVehicleStatus",
    "SetVehicleStatusInput",
    "vehicle { status }",
    { vehicleId: vehicle.id, status, note: status === "ON_CALL" ? "修好了，恢复待命" : "送修" },
    as,
  );

const vehiclesOf = async (county: County) =>
  (
    await query<{ n: number }>(
      svc.database,
      sql`select count(*)::int as n from vehicles where county_id = ${county.countyId}`,
    )
  )[0]!.n;

/** A truck of the township, 8 tonnes, as the administrator types it (lower case, a space, the middle dot). */
const truckOf = (county: ProvisionedCounty, extra: Record<string, unknown> = {}) => ({
  plate: "豫q·c2301 ",
  kind: "TRUCK",
  capacityTonnes: "8",
  owner: "城关镇运输公司",
  driverContact: "李师傅 13900001111",
  regionId: county.townships[0]!.id,
  homeDepotId: county.townships[0]!.depot.id,
  ...extra,
});

describe("registering vehicles on call (应急运力)", () => {
  it("the administrator registers a truck: the plate normalised, the change audited", async () => {
    const county = await aCounty(svc, { townships: 1 });
    const mark = await auditMark(svc);

    const res = await register(county, truckOf(county));

    expect(res.userErrors).toEqual([]);
    expect(res.vehicle).toMatchObject({
      plate: "豫QC2301",
      kind: "TRUCK",
      capacityTonnes: "8",
      seats: null,
      status: "ON_CALL",
      region: { nameZh: county.townships[0]!.nameZh },
      homeDepot: { code: county.townships[0]!.depot.code },
    });
    expect(await auditSince(svc, mark)).toMatchObject([
      { action: "registerVehicle", target_type: "Vehicle", before: null, after: { plate: "豫QC2301" } },
    ]);
  });

  it("a retried registration with the same key answers the same vehicle and registers it once", async () => {
    const county = await aCounty(svc, { townships: 1 });
    const input = truckOf(county, { idempotencyKey: `reg-${county.countyId}` });

    const first = await register(county, input);
    const retry = await register(county, input);

    expect(retry).toEqual(first);
    expect(await vehiclesOf(county)).toBe(1);
  });

  it("a county officer may not register one (FORBIDDEN), and nothing is written", async () => {
    const county = await aCounty(svc, { townships: 1 });

    const code = await topLevelCode(
      svc,
      "registerVehicle",
      "RegisterVehicleInput",
      truckOf(county),
      county.officer,
    );

    expect(code).toBe("FORBIDDEN");
    expect(await vehiclesOf(county)).toBe(0);
  });

  it("a plate taken in the county is refused whatever its case and spacing; another county may have it", async () => {
    const county = await aCounty(svc, { townships: 1 });
    const other = await aCounty(svc, { townships: 1 });
    await register(county, truckOf(county));

    const again = await register(county, truckOf(county, { plate: "豫Q C2301" }));

    expect(again.userErrors).toMatchObject([{ code: "DUPLICATE", field: ["input", "plate"] }]);
    expect(again.userErrors[0]!.message).toContain("豫QC2301");
    expect(await vehiclesOf(county)).toBe(1);
    expect((await register(other, truckOf(other))).userErrors).toEqual([]);
  });

  it("refuses a vehicle with no capacity, a home depot outside its region, a village and a region of another county", async () => {
    const county = await aCounty(svc, { townships: 2 });
    const other = await aCounty(svc, { townships: 1 });
    const village = await aVillage(county.townships[0]!);
    const mark = await auditMark(svc);

    const none = await register(county, truckOf(county, { capacityTonnes: null, seats: null }));
    const elsewhere = await register(county, truckOf(county, { homeDepotId: county.townships[1]!.depot.id }));
    const inVillage = await register(county, truckOf(county, { regionId: village.id, homeDepotId: null }));
    const foreign = await register(
      county,
      truckOf(county, { regionId: other.townships[0]!.id, homeDepotId: null }),
    );

    expect(none.userErrors).toMatchObject([{ code: "INVALID_INPUT", field: ["input", "capacityTonnes"] }]);
    expect(elsewhere.userErrors).toMatchObject([{ code: "INVALID_INPUT", field: ["input", "homeDepotId"] }]);
    expect(inVillage.userErrors).toMatchObject([{ code: "INVALID_INPUT", field: ["input", "regionId"] }]);
    expect(foreign.userErrors).toMatchObject([{ code: "NOT_FOUND" }]);
    expect(await vehiclesOf(county)).toBe(0);
    expect(await vehiclesOf(other)).toBe(0);
    expect(await auditSince(svc, mark)).toEqual([]);
  });

  it("a bus counts its seats; a county-level vehicle may load at a township depot under the county", async () => {
    const county = await aCounty(svc, { townships: 1 });

    const bus = await register(county, {
      ...truckOf(county, { kind: "BUS", capacityTonnes: null, seats: 45 }),
      regionId: county.id,
    });

    expect(bus.userErrors).toEqual([]);
    expect(bus.vehicle).toMatchObject({ kind: "BUS", seats: 45, capacityTonnes: null });
  });

  it("updates the driver's contact and capacity and takes it out of service, each audited with before and after", async () => {
    const county = await aCounty(svc, { townships: 1 });
    const truck = await aVehicle(county, county.townships[0]!);
    const mark = await auditMark(svc);

    const updated = await mutate<{ vehicle: { driverContact: string; capacityTonnes: string } }>(
      svc,
      "updateVehicle",
      "UpdateVehicleInput",
      "vehicle { driverContact capacityTonnes }",
      { vehicleId: truck.id, driverContact: "赵师傅 13700003333", capacityTonnes: "12.5" },
      county.admin,
    );
    const out = await setStatus(county, truck, "OUT_OF_SERVICE");
    const twice = await setStatus(county, truck, "OUT_OF_SERVICE");
    const byOfficer = await topLevelCode(
      svc,
      "setVehicleStatus",
      "SetVehicleStatusInput",
      { vehicleId: truck.id, status: "ON_CALL", note: "x" },
      county.officer,
    );

    expect(updated).toMatchObject({
      vehicle: { driverContact: "赵师傅 13700003333", capacityTonnes: "12.5" },
    });
    expect(out.vehicle).toEqual({ status: "OUT_OF_SERVICE" });
    expect(twice.userErrors).toMatchObject([{ code: "INVALID_TRANSITION" }]);
    expect(byOfficer).toBe("FORBIDDEN");
    expect((await auditSince(svc, mark)).map((a) => [a.action, a.before !== null])).toEqual([
      ["updateVehicle", true],
      ["setVehicleStatus", true],
    ]);
  });
});

describe("reading vehicles", () => {
  it("lists the county's vehicles by region, status and availability, to every role of the county and no one else", async () => {
    const county = await aCounty(svc, { townships: 2 });
    const other = await aCounty(svc, { townships: 1 });
    const [t1, t2] = county.townships as [
      ProvisionedCounty["townships"][0],
      ProvisionedCounty["townships"][0],
    ];
    const a = await aVehicle(county, t1);
    const b = await aVehicle(county, t1);
    const c = await aVehicle(county, t2);
    const d = await aVehicle(county, county);
    await setStatus(county, b, "OUT_OF_SERVICE");
    const plates = async (as: string, args: Record<string, unknown> = {}) => {
      const res = await svc.gql<{ vehicles: { nodes: { plate: string }[] } }>(
        `query($r: ID, $s: VehicleStatus, $a: Boolean) { vehicles(first: 50, regionId: $r, status: $s, available: $a) { nodes { plate } } }`,
        { r: null, s: null, a: null, ...args },
        as,
      );
      if (res.errors) throw new Error(JSON.stringify(res.errors));
      return res.data!.vehicles.nodes.map((n) => n.plate);
    };

    expect(await plates(county.auditor)).toEqual([a, b, c, d].map((v) => v.plate));
    expect(await plates(t2.officer, { r: t1.id })).toEqual([a.plate, b.plate]);
    expect(await plates(t1.depot.keeper, { s: "OUT_OF_SERVICE" })).toEqual([b.plate]);
    expect(await plates(county.admin, { a: true })).toEqual([a, c, d].map((v) => v.plate));
    expect(await plates(county.officer, { a: false })).toEqual([b.plate]);
    expect(await plates(other.officer)).toEqual([]);
    const node = await svc.gql<{ node: unknown }>(
      "query($id: ID!) { node(id: $id) { id } }",
      { id: a.id },
      other.admin,
    );
    expect(node.data!.node).toBeNull();
  });

  it("vehicles(first: 1) and vehicles(first: 10) with region, home depot and journey run the same number of statements", async () => {
    const county = await aCounty(svc, { townships: 1 });
    const t = county.townships[0]!;
    for (let i = 0; i < 3; i += 1) await aVehicle(county, t, { homeDepotId: t.depot.id });
    const LIST = `query($first: Int) { vehicles(first: $first) { nodes {
      plate available region { nameZh } homeDepot { code } currentJourney { startedAt requisition { id } } } } }`;
    const run = async (first: number) => {
      coldCaches(svc.database);
      const before = svc.database.statements();
      const res = await svc.gql<{ vehicles: { nodes: unknown[] } }>(LIST, { first }, county.auditor);
      return { statements: svc.database.statements() - before, n: res.data!.vehicles.nodes.length };
    };

    const one = await run(1);
    const all = await run(10);

    expect([one.n, all.n]).toEqual([1, 3]);
    expect(all.statements).toBe(one.statements);
  });
});

/** A lending pair with sandbags at the lender, and a truck and a bus of the lender's township on call. */
async function aFleet() {
  const pair = await aLendingPair(svc);
  const bags = await aStockedItem(pair, "1000");
  const truck = await aVehicle(pair.county, pair.lender);
  const bus = await aVehicle(pair.county, pair.lender, { kind: "BUS", capacityTonnes: null, seats: 30 });
  return { pair, bags, truck, bus, steps: stepsOf(pair) };
}
type Fleet = Awaited<ReturnType<typeof aFleet>>;

const approved = async (f: Fleet, quantity = "100") =>
  (await anApprovedRequisition(between(f.pair, [{ item: f.bags, quantity }]))).id;

const dispatch = (pair: LendingPair, requisitionId: string, vehicles: Vehicle[]) =>
  step(
    svc,
    "dispatchRequisition",
    "DispatchRequisitionInput",
    { requisitionId, ...DISPATCH, vehicles: vehicles.map((v) => v.id) },
    pair.lender.depot.keeper,
  );

const vehiclesOnRequisition = async (id: string, as: string) => {
  const res = await svc.gql<{ requisition: { status: string; vehicles: { plate: string }[] } }>(
    "query($id: ID!) { requisition(id: $id) { status vehicles { plate } } }",
    { id },
    as,
  );
  if (res.errors) throw new Error(JSON.stringify(res.errors));
  return res.data!.requisition.vehicles.map((v) => v.plate);
};

describe("naming vehicles at dispatch", () => {
  it("a dispatch naming a truck and a bus puts both on the road with the requisition", async () => {
    const f = await aFleet();
    const id = await approved(f);

    const res = await dispatch(f.pair, id, [f.bus, f.truck]);

    expect(res.userErrors).toEqual([]);
    expect(res.requisition!.status).toBe("IN_TRANSIT");
    expect(await vehiclesOnRequisition(id, f.pair.borrower.officer)).toEqual([f.truck.plate, f.bus.plate]);
    expect(await standing(f.pair.county, f.truck)).toEqual({ status: "ON_CALL", available: false, on: id });
  });

  it("a second dispatch naming the busy truck is refused VEHICLE_BUSY, naming the plate and its requisition; nothing changes", async () => {
    const f = await aFleet();
    const first = await approved(f);
    const second = await approved(f, "50");
    await dispatch(f.pair, first, [f.truck]);
    const before = await books(svc);

    const res = await dispatch(f.pair, second, [f.bus, f.truck]);

    expect(res.userErrors).toMatchObject([{ code: "VEHICLE_BUSY", field: ["input", "vehicles"] }]);
    expect(res.userErrors[0]!.message).toContain(f.truck.plate);
    const firstDbId = Buffer.from(first, "base64url").toString().split(":")[2];
    expect(res.userErrors[0]!.message).toContain(`requisition ${firstDbId}`);
    expect(await books(svc)).toEqual(before);
    expect((await view(svc, second, f.pair.county.officer))!.status).toBe("APPROVED");
    // the bus named beside it did not set off either
    expect(await standing(f.pair.county, f.bus)).toMatchObject({ available: true, on: null });
  });

  it("once the receipt is confirmed the truck is free and can be named again", async () => {
    const f = await aFleet();
    const first = await approved(f);
    await dispatch(f.pair, first, [f.truck]);
    const lineId = (await view(svc, first, f.pair.county.officer))!.lines[0]!.id;

    const received = await f.steps.receive(first, [{ lineId, acceptedQuantity: "100" }]);

    expect(received.userErrors).toEqual([]);
    expect(await standing(f.pair.county, f.truck)).toEqual({ status: "ON_CALL", available: true, on: null });
    const again = await dispatch(f.pair, await approved(f, "30"), [f.truck]);
    expect(again.userErrors).toEqual([]);
    // the first requisition still shows the truck that carried it
    expect(await vehiclesOnRequisition(first, f.pair.county.officer)).toEqual([f.truck.plate]);
  });

  it("once the journey is recalled the truck is free and can be named again", async () => {
    const f = await aFleet();
    const first = await approved(f);
    await dispatch(f.pair, first, [f.truck]);

    const recalled = await f.steps.recall(first);

    expect(recalled.userErrors).toEqual([]);
    expect(await standing(f.pair.county, f.truck)).toMatchObject({ available: true, on: null });
    expect((await dispatch(f.pair, await approved(f, "30"), [f.truck])).userErrors).toEqual([]);
  });

  it("an out-of-service truck is refused VEHICLE_OUT_OF_SERVICE, and nothing changes", async () => {
    const f = await aFleet();
    await setStatus(f.pair.county, f.truck, "OUT_OF_SERVICE");
    const id = await approved(f);
    const before = await books(svc);

    const res = await dispatch(f.pair, id, [f.truck]);

    expect(res.userErrors).toMatchObject([{ code: "VEHICLE_OUT_OF_SERVICE", field: ["input", "vehicles"] }]);
    expect(await books(svc)).toEqual(before);
    expect((await view(svc, id, f.pair.county.officer))!.status).toBe("APPROVED");
  });

  it("a vehicle of another county, or one named twice, is refused and nothing changes", async () => {
    const f = await aFleet();
    const other = await aCounty(svc, { townships: 1 });
    const foreign = await aVehicle(other, other.townships[0]!);
    const id = await approved(f);
    const before = await books(svc);

    const far = await dispatch(f.pair, id, [foreign]);
    const twice = await dispatch(f.pair, id, [f.truck, f.truck]);

    expect(far.userErrors).toMatchObject([{ code: "NOT_FOUND", field: ["input", "vehicles", "0"] }]);
    expect(twice.userErrors).toMatchObject([{ code: "INVALID_INPUT", field: ["input", "vehicles"] }]);
    expect(await books(svc)).toEqual(before);
    expect(await standing(other, foreign, other.officer)).toMatchObject({ available: true });
  });

  it("a dispatch naming no vehicle works as before", async () => {
    const f = await aFleet();
    const id = await approved(f);

    const res = await dispatch(f.pair, id, []);

    expect(res.userErrors).toEqual([]);
    expect(await vehiclesOnRequisition(id, f.pair.county.officer)).toEqual([]);
  });
});

describe("vehicles on call in the coverage map", () => {
  it("each township's row counts its free vehicles on call, its villages' included; the county counts all", async () => {
    const county = await aCounty(svc, { townships: 3, neighbours: [[0, 1]] });
    const [t1, t2, t3] = county.townships as [
      ProvisionedCounty["townships"][0],
      ProvisionedCounty["townships"][0],
      ProvisionedCounty["townships"][0],
    ];
    const village = await aVillage(t1);
    await aDepot(village);
    await aVehicle(county, t1);
    await aVehicle(county, t1, { homeDepotId: t1.depot.id });
    const broken = await aVehicle(county, t2);
    await aVehicle(county, t2);
    await aVehicle(county, county);
    await setStatus(county, broken, "OUT_OF_SERVICE");
    // one of t1's trucks is on the road
    const pair: LendingPair = { county, lender: t1, borrower: t2 };
    const bags = await aStockedItem(pair, "100");
    const onRoad = await aVehicle(county, t1);
    const id = (await anApprovedRequisition(between(pair, [{ item: bags, quantity: "10" }]))).id;
    expect((await dispatch(pair, id, [onRoad])).userErrors).toEqual([]);
    const MAP = `query($c: ID!, $first: Int) { coverageMap(countyId: $c, level: TOWNSHIP, first: $first) {
      nodes { region { nameZh } vehiclesOnCall } } }`;
    const run = async (first: number, as = county.officer) => {
      coldCaches(svc.database);
      const before = svc.database.statements();
      const res = await svc.gql<{
        coverageMap: { nodes: { region: { nameZh: string }; vehiclesOnCall: number }[] };
      }>(MAP, { c: county.id, first }, as);
      if (res.errors) throw new Error(JSON.stringify(res.errors));
      return {
        rows: res.data!.coverageMap.nodes.map((n) => [n.region.nameZh, n.vehiclesOnCall]),
        statements: svc.database.statements() - before,
      };
    };

    const all = await run(10);
    const one = await run(1);
    const countyLevel = await svc.gql<{ coverage: { vehiclesOnCall: number } }>(
      "query($r: ID!) { coverage(regionId: $r) { vehiclesOnCall } }",
      { r: county.id },
      county.auditor,
    );
    const ownTownship = await run(10, t3.officer);

    expect(all.rows).toEqual([
      [t1.nameZh, 2],
      [t2.nameZh, 1],
      [t3.nameZh, 0],
    ]);
    expect(all.statements).toBe(one.statements);
    expect(countyLevel.data!.coverage.vehiclesOnCall).toBe(4);
    expect(ownTownship.rows).toEqual([[t3.nameZh, 0]]);
  });
});
