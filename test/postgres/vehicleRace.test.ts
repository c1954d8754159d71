import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  aLendingPair,
  anApprovedRequisition,
  aStockedItem,
  between,
  DISPATCH,
  type LendingPair,
} from "../support/requisitionFactories.js";
import { step, view } from "../support/requisitions.js";
import { startTestService, type TestService } from "../support/service.js";
import { query, sql } from "../support/sql.js";
import { books, imbalances } from "../support/transit.js";
import { aVehicle, standing, type Vehicle } from "../support/vehicleFactories.js";

// A real race needs real connections: the two dispatches are two HTTP calls, two transactions, at once.
const NOW = new Date("2026-11-24T02:00:00Z");
let svc: TestService;
/** Two neighbouring townships: the lender's depot sends two requisitions at once; each round has its own item. */
let pair: LendingPair;

beforeAll(async () => {
  svc = await startTestService({ clock: () => NOW });
  pair = await aLendingPair(svc);
});
afterAll(() => svc.stop());

const dispatch = (requisitionId: string, vehicles: Vehicle[]) =>
  step(
    svc,
    "dispatchRequisition",
    "DispatchRequisitionInput",
    { requisitionId, ...DISPATCH, vehicles: vehicles.map((v) => v.id) },
    pair.lender.depot.keeper,
  );

/** Open journeys of the two trucks, counted in the table itself. */
const openJourneys = async (a: Vehicle, b: Vehicle) =>
  (
    await query<{ n: number }>(
      svc.database,
      sql`select count(*)::int as n from vehicle_journeys j join vehicles v
            on v.county_id = j.county_id and v.id = j.vehicle_id
           where j.ended_at is null and v.county_id = ${pair.county.countyId} and v.plate in (${a.plate}, ${b.plate})`,
    )
  )[0]!.n;

describe("two dispatches naming the same truck at once", () => {
  it.each([1, 2, 3, 4, 5])(
    "exactly one sets off, the other is VEHICLE_BUSY and moves nothing (round %i; the second names the trucks in the other order)",
    async () => {
      // two items, two lots: the trucks are the only rows both dispatches lock
      const bags = await aStockedItem(pair, "200");
      const quilts = await aStockedItem(pair, "80");
      const a = await aVehicle(pair.county, pair.lender);
      const b = await aVehicle(pair.county, pair.lender);
      const first = (await anApprovedRequisition(between(pair, [{ item: bags, quantity: "60" }]))).id;
      const second = (await anApprovedRequisition(between(pair, [{ item: quilts, quantity: "40" }]))).id;
      const ledger = (await books(svc)).movements;

      const answers = await Promise.all([dispatch(first, [a, b]), dispatch(second, [b, a])]);

      expect(answers.map((r) => r.topLevel)).toEqual([undefined, undefined]);
      const codes = answers.map((r) => r.userErrors.map((e) => e.code).join() || "OK");
      expect(codes.sort()).toEqual(["OK", "VEHICLE_BUSY"]);
      const winner = answers[0]!.userErrors.length === 0 ? first : second;
      const loser = winner === first ? second : first;
      expect((await view(svc, winner, pair.county.officer))!.status).toBe("IN_TRANSIT");
      expect((await view(svc, loser, pair.county.officer))!.status).toBe("APPROVED");
      // both trucks are on the winner's journey, one each; the loser wrote no line and no journey
      expect(await openJourneys(a, b)).toBe(2);
      expect(await standing(pair.county, a)).toMatchObject({ available: false, on: winner });
      expect(await standing(pair.county, b)).toMatchObject({ available: false, on: winner });
      expect((await books(svc)).movements).toBe(ledger + 1);
      expect(await imbalances(svc)).toEqual([]);
    },
  );
});
