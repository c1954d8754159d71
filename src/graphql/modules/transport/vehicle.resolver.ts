import {
  Arg,
  Args,
  Authorized,
  Ctx,
  FieldResolver,
  ID,
  Int,
  Mutation,
  Query,
  Resolver,
  Root,
} from "type-graphql";
import { registerVehicle, setVehicleStatus, updateVehicle } from "../../../app/admin/vehicles.js";
import type { VehicleRow } from "../../../db/repositories/vehicles.js";
import * as vehicles from "../../../db/repositories/vehicles.js";
import { vehicleCounties } from "../../../domain/custody/policy.js";
import type { VehicleStatus } from "../../../domain/transport/vehicle.js";
import type { Context } from "../../context.js";
import { expectCountyKey } from "../../ids.js";
import { payload } from "../../payload.js";
import { PageArgs, toConnection, toPageRequest } from "../../relay.js";
import { CoverageMapRow, CoverageReport } from "../coverage/coverage.type.js";
import { Depot } from "../depot/depot.type.js";
import { loadRegion } from "../region/region.resolver.js";
import { Region } from "../region/region.type.js";
import { Requisition } from "../requisition/requisition.type.js";
import { RegisterVehicleInput, SetVehicleStatusInput, UpdateVehicleInput } from "./vehicle.inputs.js";
import {
  Vehicle,
  VehicleConnection,
  VehicleJourney,
  VehiclePayload,
  VehicleStatusEnum,
} from "./vehicle.type.js";

const shaped = (row: VehicleRow) => ({ vehicle: Vehicle.from(row) });
const refused = { vehicle: null };
const vehicleKey = (id: string) => expectCountyKey(id, "Vehicle", "input.vehicleId");

/** A vehicle the viewer may read, by its key: null when of a county the viewer does not work in, as if none. */
export async function loadVehicle(
  ctx: Context,
  key: { countyId: number; id: number },
): Promise<Vehicle | null> {
  if (!vehicleCounties(ctx.actor!).includes(key.countyId)) return null;
  const row = await ctx.loaders.vehicle.load(key);
  return row && Vehicle.from(row);
}

@Resolver(() => Vehicle)
export class VehicleResolver {
  @Authorized()
  @Query(() => VehicleConnection, {
    description: "Vehicles on call for relief transport (应急运力) of the counties the viewer works in.",
  })
  async vehicles(
    @Args(() => PageArgs) page: PageArgs,
    @Arg("regionId", () => ID, {
      nullable: true,
      description: "Only vehicles standing by in this region's subtree.",
    })
    regionId: string | null,
    @Arg("status", () => VehicleStatusEnum, { nullable: true, description: "Only vehicles of this status." })
    status: VehicleStatus | null,
    @Arg("available", () => Boolean, {
      nullable: true,
      description: "true: on call and on no journey (can be named for a dispatch now); false: the others.",
    })
    available: boolean | null,
    @Ctx() ctx: Context,
  ): Promise<VehicleConnection> {
    const result = await vehicles.list(
      ctx.deps.database.db,
      {
        counties: vehicleCounties(ctx.actor!),
        region: regionId ? expectCountyKey(regionId, "Region", "regionId") : undefined,
        status: status ?? undefined,
        available: available ?? undefined,
      },
      toPageRequest(page),
    );
    for (const row of result.rows) ctx.loaders.vehicle.prime({ countyId: row.countyId, id: row.id }, row);
    return toConnection(result, Vehicle.from);
  }

  @FieldResolver(() => Region, { description: "Where it stands by." })
  async region(@Root() v: Vehicle, @Ctx() ctx: Context): Promise<Region> {
    return (await loadRegion(ctx, { countyId: v.countyId, id: v.regionId }))!;
  }

  @FieldResolver(() => Depot, {
    nullable: true,
    description: "The depot it loads at; null when none, or when the viewer may not read that depot.",
  })
  async homeDepot(@Root() v: Vehicle, @Ctx() ctx: Context): Promise<Depot | null> {
    if (v.homeDepotId === null) return null;
    const row = await ctx.loaders.depot.load({ countyId: v.countyId, id: v.homeDepotId });
    return row && Depot.from(row);
  }

  @FieldResolver(() => VehicleJourney, {
    nullable: true,
    description: "The journey it is on now (a dispatched requisition); null while it stands free.",
  })
  async currentJourney(@Root() v: Vehicle, @Ctx() ctx: Context): Promise<VehicleJourney | null> {
    const row = await ctx.loaders.vehicleOpenJourney.load({ countyId: v.countyId, id: v.vehicleId });
    return row && VehicleJourney.from(row);
  }

  @FieldResolver(() => Boolean, {
    description: "On call and on no journey: it can be named for a dispatch now.",
  })
  async available(@Root() v: Vehicle, @Ctx() ctx: Context): Promise<boolean> {
    if (v.status !== "ON_CALL") return false;
    return (await ctx.loaders.vehicleOpenJourney.load({ countyId: v.countyId, id: v.vehicleId })) === null;
  }

  @Authorized("COUNTY_ADMIN")
  @Mutation(() => VehiclePayload, {
    description: "Register a vehicle on call for relief transport (应急运力).",
  })
  registerVehicle(
    @Arg("input", () => RegisterVehicleInput) input: RegisterVehicleInput,
    @Ctx() ctx: Context,
  ) {
    const keys = {
      region: expectCountyKey(input.regionId, "Region", "input.regionId"),
      homeDepot: input.homeDepotId ? expectCountyKey(input.homeDepotId, "Depot", "input.homeDepotId") : null,
    };
    return payload(() => registerVehicle(ctx.deps, ctx.actor!, { ...input, ...keys }), shaped, refused);
  }

  @Authorized("COUNTY_ADMIN")
  @Mutation(() => VehiclePayload, {
    description: "Change a vehicle's driver contact, owner, capacity or home depot.",
  })
  updateVehicle(@Arg("input", () => UpdateVehicleInput) input: UpdateVehicleInput, @Ctx() ctx: Context) {
    const keys = {
      vehicle: vehicleKey(input.vehicleId),
      homeDepot:
        input.homeDepotId === undefined
          ? undefined
          : input.homeDepotId === null
            ? null
            : expectCountyKey(input.homeDepotId, "Depot", "input.homeDepotId"),
    };
    return payload(() => updateVehicle(ctx.deps, ctx.actor!, { ...input, ...keys }), shaped, refused);
  }

  @Authorized("COUNTY_ADMIN")
  @Mutation(() => VehiclePayload, { description: "Put a vehicle on call, or take it out of service." })
  setVehicleStatus(
    @Arg("input", () => SetVehicleStatusInput) input: SetVehicleStatusInput,
    @Ctx() ctx: Context,
  ) {
    const vehicle = vehicleKey(input.vehicleId);
    return payload(() => setVehicleStatus(ctx.deps, ctx.actor!, { ...input, vehicle }), shaped, refused);
  }
}

@Resolver(() => VehicleJourney)
export class VehicleJourneyResolver {
  @FieldResolver(() => Vehicle, { description: "The vehicle." })
  async vehicle(@Root() j: VehicleJourney, @Ctx() ctx: Context): Promise<Vehicle> {
    return Vehicle.from((await ctx.loaders.vehicle.load({ countyId: j.countyId, id: j.vehicleId }))!);
  }

  @FieldResolver(() => Requisition, {
    nullable: true,
    description: "The requisition it carries; null when out of the viewer's scope.",
  })
  async requisition(@Root() j: VehicleJourney, @Ctx() ctx: Context): Promise<Requisition | null> {
    const row = await ctx.loaders.requisition.load({ countyId: j.countyId, id: j.requisitionId });
    return row && Requisition.from(row);
  }
}

@Resolver(() => Requisition)
export class RequisitionVehiclesResolver {
  @FieldResolver(() => [Vehicle], {
    description: "The registered vehicles named at dispatch (应急运力), in the order they were named.",
  })
  async vehicles(@Root() r: Requisition, @Ctx() ctx: Context): Promise<Vehicle[]> {
    const journeys = await ctx.loaders.requisitionJourneys.load({
      countyId: r.countyId,
      id: r.requisitionId,
    });
    const rows = await ctx.loaders.vehicle.loadMany(
      journeys.map((j) => ({ countyId: j.countyId, id: j.vehicleId })),
    );
    return rows.map((row) => Vehicle.from(row as VehicleRow));
  }
}

/** Vehicles on call and free, beside the coverage figures: transport is a resource too (应急运力). */
@Resolver(() => CoverageMapRow)
export class CoverageMapRowVehiclesResolver {
  @FieldResolver(() => Int, {
    description: "Vehicles on call and on no journey standing by in this region or under it.",
  })
  vehiclesOnCall(@Root() r: CoverageMapRow, @Ctx() ctx: Context): Promise<number> {
    return ctx.loaders.freeVehiclesUnder.load({ countyId: r.countyId, id: r.regionId });
  }
}

@Resolver(() => CoverageReport)
export class CoverageReportVehiclesResolver {
  @FieldResolver(() => Int, {
    description:
      "Vehicles on call and on no journey standing by in the region or under it (the county: all).",
  })
  vehiclesOnCall(@Root() r: CoverageReport, @Ctx() ctx: Context): Promise<number> {
    return ctx.loaders.freeVehiclesUnder.load({ countyId: r.countyId, id: r.regionId });
  }
}
