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
import { declareEmergency, endEmergency } from "../../../app/emergency/declare.js";
import { approvePaperwork, contestPaperwork } from "../../../app/emergency/paperwork.js";
import type { EmergencyRow } from "../../../db/repositories/emergencies.js";
import * as emergencies from "../../../db/repositories/emergencies.js";
import * as paperwork from "../../../db/repositories/emergencyPaperwork.js";
import type { PaperworkRow } from "../../../db/repositories/emergencyPaperwork.js";
import { isActive, isPaperworkOverdue, type PaperworkStatus } from "../../../domain/emergency/emergency.js";
import { dateInZone } from "../../../domain/shared/calendar.js";
import type { Context } from "../../context.js";
import { expectCountyKey } from "../../ids.js";
import { payload } from "../../payload.js";
import { PageArgs, toConnection, toPageRequest } from "../../relay.js";
import { loadRegion } from "../region/region.resolver.js";
import { Region } from "../region/region.type.js";
import { Requisition } from "../requisition/requisition.type.js";
import { Movement } from "../stock/movement.type.js";
import { User } from "../viewer/user.type.js";
import {
  DeclareEmergencyInput,
  Emergency,
  EmergencyConnection,
  EmergencyPaperwork,
  EmergencyPaperworkConnection,
  EmergencyPayload,
  EndEmergencyInput,
  PaperworkPayload,
  PaperworkStatusEnum,
  ResolvePaperworkInput,
} from "./emergency.type.js";

const OFFICES = ["TOWNSHIP_OFFICER", "COUNTY_OFFICER"] as const;

const shapeEmergency = (row: EmergencyRow) => ({ emergency: Emergency.from(row) });
const shapePaperwork = (row: PaperworkRow) => ({ paperwork: EmergencyPaperwork.from(row) });

/** One "now" per request, so every emergency in an answer is judged at the same instant and the loader batches. */
const requestNow = new WeakMap<Context, Date>();
function nowOf(ctx: Context): Date {
  let now = requestNow.get(ctx);
  if (!now) {
    now = ctx.deps.clock();
    requestNow.set(ctx, now);
  }
  return now;
}

async function userOf(ctx: Context, id: number | null): Promise<User | null> {
  if (id === null) return null;
  const row = await ctx.loaders.user.load(id);
  return row && User.from(row);
}

@Resolver(() => Emergency)
export class EmergencyResolver {
  @Authorized()
  @Query(() => EmergencyConnection, {
    description:
      "Declared emergencies the viewer sees (those touching a region they work in, or covering a depot they keep), in the order declared.",
  })
  async emergencies(
    @Args(() => PageArgs) page: PageArgs,
    @Arg("activeOnly", () => Boolean, {
      nullable: true,
      description: "Only those active now (not ended, not past their end time).",
    })
    activeOnly: boolean | null,
    @Arg("regionId", () => ID, {
      nullable: true,
      description: "Only those covering this region: declared for it or for a region above it.",
    })
    regionId: string | null,
    @Ctx() ctx: Context,
  ): Promise<EmergencyConnection> {
    const result = await emergencies.list(
      ctx.deps.database.db,
      ctx.scope,
      {
        activeAt: activeOnly ? nowOf(ctx) : undefined,
        covering: regionId ? expectCountyKey(regionId, "Region", "regionId") : undefined,
      },
      toPageRequest(page),
    );
    return toConnection(result, Emergency.from);
  }

  @FieldResolver(() => Boolean, {
    description: "Whether it is active now: not ended, not past its end time.",
  })
  active(@Root() e: Emergency, @Ctx() ctx: Context): boolean {
    return isActive(e, nowOf(ctx));
  }

  @FieldResolver(() => Region, { description: "The region it covers, with every region under it." })
  async region(@Root() e: Emergency, @Ctx() ctx: Context): Promise<Region> {
    return (await loadRegion(ctx, { countyId: e.countyId, id: e.regionId }))!;
  }

  @FieldResolver(() => User, { description: "Who declared it." })
  async declaredBy(@Root() e: Emergency, @Ctx() ctx: Context): Promise<User> {
    return (await userOf(ctx, e.declaredById))!;
  }

  @FieldResolver(() => User, { nullable: true, description: "Who ended it; null while not ended." })
  endedBy(@Root() e: Emergency, @Ctx() ctx: Context): Promise<User | null> {
    return userOf(ctx, e.endedById);
  }

  @Authorized(...OFFICES)
  @Mutation(() => EmergencyPayload, {
    description:
      "Declare an emergency (启动应急响应) over a region and everything under it, under the county's next number: a township office for its own township, the county for any region.",
  })
  declareEmergency(
    @Arg("input", () => DeclareEmergencyInput) input: DeclareEmergencyInput,
    @Ctx() ctx: Context,
  ) {
    const region = expectCountyKey(input.regionId, "Region", "input.regionId");
    return payload(() => declareEmergency(ctx.deps, ctx.actor!, { ...input, region }), shapeEmergency, {
      emergency: null,
    });
  }

  @Authorized(...OFFICES)
  @Mutation(() => EmergencyPayload, {
    description:
      "End an emergency (终止应急响应), by the kind of office that may declare it for its region; the paperwork it left stays owed.",
  })
  endEmergency(@Arg("input", () => EndEmergencyInput) input: EndEmergencyInput, @Ctx() ctx: Context) {
    const emergency = expectCountyKey(input.emergencyId, "Emergency", "input.emergencyId");
    return payload(() => endEmergency(ctx.deps, ctx.actor!, { ...input, emergency }), shapeEmergency, {
      emergency: null,
    });
  }
}

@Resolver(() => EmergencyPaperwork)
export class EmergencyPaperworkResolver {
  @Authorized("TOWNSHIP_OFFICER", "COUNTY_OFFICER", "AUDITOR")
  @Query(() => EmergencyPaperworkConnection, {
    description:
      "Paperwork owed after emergency issues (补办手续), for the owing office, the county and auditors; oldest first.",
  })
  async emergencyPaperwork(
    @Args(() => PageArgs) page: PageArgs,
    @Arg("status", () => PaperworkStatusEnum, {
      nullable: true,
      description: "Only paperwork in this status.",
    })
    status: PaperworkStatus | null,
    @Arg("overdueOnly", () => Boolean, {
      nullable: true,
      description: "Only paperwork still open more than EMERGENCY_PAPERWORK_DAYS days after it was opened.",
    })
    overdueOnly: boolean | null,
    @Arg("emergencyId", () => ID, { nullable: true, description: "Only the paperwork this emergency left." })
    emergencyId: string | null,
    @Ctx() ctx: Context,
  ): Promise<EmergencyPaperworkConnection> {
    const result = await paperwork.list(
      ctx.deps.database.db,
      ctx.scope,
      {
        status: status ?? undefined,
        overdue: overdueOnly ? { today: ctx.today, days: ctx.deps.policy.emergencyPaperworkDays } : undefined,
        emergency: emergencyId ? expectCountyKey(emergencyId, "Emergency", "emergencyId") : undefined,
      },
      toPageRequest(page),
    );
    return toConnection(result, EmergencyPaperwork.from);
  }

  @FieldResolver(() => Boolean, {
    description:
      "Still open more than EMERGENCY_PAPERWORK_DAYS days after it was opened (in the county's calendar).",
  })
  overdue(@Root() p: EmergencyPaperwork, @Ctx() ctx: Context): boolean {
    return isPaperworkOverdue(
      { status: p.status, openedOn: dateInZone(p.openedAt) },
      ctx.today,
      ctx.deps.policy.emergencyPaperworkDays,
    );
  }

  @FieldResolver(() => Emergency, { description: "The emergency it was done under." })
  async emergency(@Root() p: EmergencyPaperwork, @Ctx() ctx: Context): Promise<Emergency> {
    // the owing office's region is covered by the emergency, so whoever reads the paperwork reads the emergency
    const row = await ctx.loaders.emergency.load({ countyId: p.countyId, id: p.emergencyId });
    return Emergency.from(row!);
  }

  @FieldResolver(() => Region, { description: "The region whose office owes it." })
  async owedBy(@Root() p: EmergencyPaperwork, @Ctx() ctx: Context): Promise<Region> {
    return (await loadRegion(ctx, { countyId: p.countyId, id: p.owedByRegionId }))!;
  }

  @FieldResolver(() => Movement, {
    nullable: true,
    description:
      "The ledger line that went out first; null for a requisition's, or out of the viewer's scope.",
  })
  async movement(@Root() p: EmergencyPaperwork, @Ctx() ctx: Context): Promise<Movement | null> {
    if (p.movementId === null) return null;
    const row = await ctx.loaders.movement.load({ countyId: p.countyId, id: p.movementId });
    return row && Movement.from(row);
  }

  @FieldResolver(() => Requisition, {
    nullable: true,
    description: "The requisition dispatched first; null for a ledger line's.",
  })
  async requisition(@Root() p: EmergencyPaperwork, @Ctx() ctx: Context): Promise<Requisition | null> {
    if (p.requisitionId === null) return null;
    const row = await ctx.loaders.requisition.load({ countyId: p.countyId, id: p.requisitionId });
    return row && Requisition.from(row);
  }

  @FieldResolver(() => User, { nullable: true, description: "Who approved or contested it." })
  resolvedBy(@Root() p: EmergencyPaperwork, @Ctx() ctx: Context): Promise<User | null> {
    return userOf(ctx, p.resolvedById);
  }

  @Authorized(...OFFICES)
  @Mutation(() => PaperworkPayload, {
    description:
      "Approve after the fact what went out first under an emergency (补办手续), by the owing office, with a note.",
  })
  approvePaperwork(
    @Arg("input", () => ResolvePaperworkInput) input: ResolvePaperworkInput,
    @Ctx() ctx: Context,
  ) {
    const item = expectCountyKey(input.itemId, "EmergencyPaperwork", "input.itemId");
    return payload(() => approvePaperwork(ctx.deps, ctx.actor!, { ...input, item }), shapePaperwork, {
      paperwork: null,
    });
  }

  @Authorized(...OFFICES)
  @Mutation(() => PaperworkPayload, {
    description:
      "Contest what went out first under an emergency, by the owing office, with a note; the ledger line stays.",
  })
  contestPaperwork(
    @Arg("input", () => ResolvePaperworkInput) input: ResolvePaperworkInput,
    @Ctx() ctx: Context,
  ) {
    const item = expectCountyKey(input.itemId, "EmergencyPaperwork", "input.itemId");
    return payload(() => contestPaperwork(ctx.deps, ctx.actor!, { ...input, item }), shapePaperwork, {
      paperwork: null,
    });
  }
}

/** Regions say which emergencies cover them now. */
@Resolver(() => Region)
export class RegionEmergencyResolver {
  @FieldResolver(() => [Emergency], {
    description:
      "Emergencies active now that cover this region (declared for it or a region above it) and that the viewer sees.",
  })
  async activeEmergencies(@Root() r: Region, @Ctx() ctx: Context): Promise<Emergency[]> {
    const rows = await ctx.loaders
      .emergenciesCovering(nowOf(ctx))
      .load({ countyId: r.countyId, id: r.regionId });
    return rows.map(Emergency.from);
  }
}

/** A ledger line done first under an emergency names it. */
@Resolver(() => Movement)
export class MovementEmergencyResolver {
  @FieldResolver(() => Emergency, {
    nullable: true,
    description: "The emergency the line went out under (先处置后补手续); null for ordinary lines.",
  })
  async emergency(@Root() m: Movement, @Ctx() ctx: Context): Promise<Emergency | null> {
    if (m.emergencyId === null) return null;
    const row = await ctx.loaders.emergency.load({ countyId: m.countyId, id: m.emergencyId });
    return row && Emergency.from(row);
  }

  @FieldResolver(() => Int, {
    nullable: true,
    description:
      "The county's number of that emergency, as the ledger export shows it; null for ordinary lines.",
  })
  async emergencyNumber(@Root() m: Movement, @Ctx() ctx: Context): Promise<number | null> {
    return (await this.emergency(m, ctx))?.number ?? null;
  }
}

/** An emergency request approved under a declared emergency names it. */
@Resolver(() => Requisition)
export class RequisitionEmergencyResolver {
  @FieldResolver(() => Emergency, {
    nullable: true,
    description:
      "The declared emergency it was approved under, on the supplier's word alone (先处置后补手续); null otherwise.",
  })
  async emergency(@Root() r: Requisition, @Ctx() ctx: Context): Promise<Emergency | null> {
    if (r.emergencyId === null) return null;
    const row = await ctx.loaders.emergency.load({ countyId: r.countyId, id: r.emergencyId });
    return row && Emergency.from(row);
  }
}
