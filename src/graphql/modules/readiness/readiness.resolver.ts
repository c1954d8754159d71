import * as expiry from "../../../db/reports/expiry.js";
import * as regions from "../../../db/repositories/regions.js";
import * as rotations from "../../../db/repositories/rotations.js";
import type { AgreementRow } from "../../../db/repositories/agreements.js";
import { Agreement } from "../agreement/agreement.type.js";
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
import {
  DEFAULT_STALE_AFTER_DAYS,
  type ItemQuantity as ReadinessItemQuantity,
  readinessOf,
} from "../../../app/readiness/readiness.js";
import { rotationPlan } from "../../../app/readiness/rotationPlan.js";
import { rotateOut } from "../../../app/stock/rotateOut.js";
import { judgedAt } from "../../../domain/agreement/callUp.js";
import { coversRegion } from "../../../domain/custody/policy.js";
import { expiryBucket } from "../../../domain/readiness/expiry.js";
import { type CalendarDate, daysBetween } from "../../../domain/shared/calendar.js";
import { formatQuantity } from "../../../domain/shared/quantity.js";
import { countedInTimeShare } from "../../../domain/readiness/census.js";
import type { CountyKey } from "../../../db/keys.js";
import { AS_OF_DESCRIPTION, asOfArg } from "../../asOf.js";
import type { Context } from "../../context.js";
import { badInput } from "../../errors.js";
import { expectCountyKey } from "../../ids.js";
import { payload } from "../../payload.js";
import {
  decodeKeyCursor,
  encodeKeyCursor,
  PageArgs,
  pageInMemory,
  pageSize,
  toConnection,
  toKeyConnection,
  toPageRequest,
} from "../../relay.js";
import { Item } from "../catalogue/item.type.js";
import { Depot } from "../depot/depot.type.js";
import { Region } from "../region/region.type.js";
import { Lot } from "../stock/lot.type.js";
import { Movement } from "../stock/movement.type.js";
import { RotateOutInput, RotateOutPayload } from "./rotation.inputs.js";
import {
  ExpiringLotConnection,
  ItemQuantity,
  RegionReadiness,
  RegionReadinessConnection,
  Rotation,
  RotationAction,
  RotationConnection,
  RotationProposalConnection,
  RotationStatusEnum,
} from "./readiness.type.js";

/** A region of the viewer's counties, or null as if it did not exist. */
async function visibleRegion(ctx: Context, id: string): Promise<CountyKey | null> {
  const key = expectCountyKey(id, "Region", "regionId");
  if (!ctx.scope.counties.includes(key.countyId)) return null;
  return (await ctx.loaders.region.load(key)) ? key : null;
}

/**
 * The `expiringLots` question's arguments checked and worked out: the day, the region if the viewer may read it,
 * the page; a malformed one is the client's mistake, said plainly.
 */
export async function expiringArgsOf(
  ctx: Context,
  args: {
    regionId: string;
    within: number;
    asOf?: string | null;
    first?: number | null;
    after?: string | null;
  },
) {
  if (!Number.isInteger(args.within) || args.within < 1 || args.within > 366)
    throw badInput("within must be 1 to 366 days", "within");
  const asOf = asOfArg(ctx, args.asOf);
  const region = await visibleRegion(ctx, args.regionId);
  const after = decodeKeyCursor(args.after, 2);
  return {
    asOf,
    region,
    first: pageSize({ first: args.first }),
    after: after ? { expiresOn: after[0]!, id: Number(after[1]) } : null,
  };
}

const empty = {
  edges: [],
  nodes: [],
  pageInfo: { hasNextPage: false, hasPreviousPage: false, startCursor: null, endCursor: null },
};

@Resolver()
export class ReadinessResolver {
  @Authorized()
  @Query(() => ExpiringLotConnection, {
    description:
      "Serviceable lots of a region's subtree expiring within the window, earliest first, in the viewer's scope.",
  })
  async expiringLots(
    @Arg("regionId", () => ID, { description: "County, township or village." }) regionId: string,
    @Arg("within", () => Int, { description: "Days ahead, 1 to 366." }) within: number,
    @Arg("asOf", () => String, { nullable: true, description: AS_OF_DESCRIPTION }) asOfText: string | null,
    @Args(() => PageArgs) page: PageArgs,
    @Ctx() ctx: Context,
  ): Promise<ExpiringLotConnection> {
    const { asOf, region, first, after } = await expiringArgsOf(ctx, {
      regionId,
      within,
      asOf: asOfText,
      ...page,
    });
    if (!region) return empty;
    const result = await expiry.expiringLots(ctx.deps.database.db, ctx.scope, region, asOf, within, {
      first,
      after,
    });
    for (const { depot } of result.rows)
      ctx.loaders.depot.prime({ countyId: depot.countyId, id: depot.id }, depot);
    return toKeyConnection(
      result,
      ({ lot }) => encodeKeyCursor([lot.expiresOn!, lot.id]),
      ({ lot }) => ({
        lot: Lot.from(lot),
        daysToExpiry: daysBetween(asOf, lot.expiresOn as CalendarDate),
        bucket: expiryBucket(lot.expiresOn as CalendarDate, asOf),
      }),
    );
  }

  @Authorized()
  @Query(() => RotationProposalConnection, {
    description:
      "Every lot of the region's subtree inside its rotation window, with a proposed action. Deterministic for the same data and day.",
  })
  async rotationPlan(
    @Arg("regionId", () => ID, { description: "County, township or village." }) regionId: string,
    @Arg("asOf", () => String, { nullable: true, description: AS_OF_DESCRIPTION }) asOfText: string | null,
    @Args(() => PageArgs) page: PageArgs,
    @Ctx() ctx: Context,
  ): Promise<RotationProposalConnection> {
    const asOf = asOfArg(ctx, asOfText);
    const region = await visibleRegion(ctx, regionId);
    if (!region) return empty;
    const plan = await rotationPlan(ctx.deps, ctx.actor!, region, asOf);
    const { rows, hasNextPage } = pageInMemory(plan, page, 2, (p) => [p.lot.expiresOn, p.lot.lotId]);
    const lots = await ctx.loaders.lot.loadMany(
      rows.map((p) => ({ countyId: region.countyId, id: p.lot.lotId })),
    );
    return toKeyConnection(
      { rows: rows.map((p, i) => ({ p, lot: lots[i] })), hasNextPage },
      ({ p }) => encodeKeyCursor([p.lot.expiresOn, p.lot.lotId]),
      ({ p, lot }) => ({
        lot: Lot.from(lot as Parameters<typeof Lot.from>[0]),
        daysToExpiry: p.daysToExpiry,
        actions: p.actions.map((a) =>
          Object.assign(new RotationAction(), {
            countyId: region.countyId,
            kind: a.kind,
            quantity: formatQuantity(a.quantity),
            toDepotId: a.kind === "TRANSFER" ? a.toDepotId : null,
            toRegionId: a.kind === "TRANSFER" ? a.toRegionId : null,
            travelMinutes: a.kind === "TRANSFER" ? a.travelMinutes : null,
            disposal: a.kind === "ROTATE_OUT" ? a.disposal : null,
            replacementQuantity: a.kind === "ROTATE_OUT" ? formatQuantity(a.replacementQuantity) : null,
          }),
        ),
      }),
    );
  }

  @Authorized()
  @Query(() => RotationConnection, { description: "Rotations out in the viewer's scope, oldest first." })
  async rotations(
    @Arg("status", () => RotationStatusEnum, {
      nullable: true,
      description: "Open (awaiting replacement) or closed.",
    })
    status: "OPEN" | "CLOSED" | null,
    @Arg("depotId", () => ID, { nullable: true, description: "Only rotations of this depot." })
    depotId: string | null,
    @Args(() => PageArgs) page: PageArgs,
    @Ctx() ctx: Context,
  ): Promise<RotationConnection> {
    const result = await rotations.list(
      ctx.deps.database.db,
      ctx.scope,
      {
        status: status ?? undefined,
        depot: depotId ? expectCountyKey(depotId, "Depot", "depotId") : undefined,
      },
      toPageRequest(page),
    );
    return toConnection(result, Rotation.from);
  }

  @Authorized("COUNTY_OFFICER", "TOWNSHIP_OFFICER", "AUDITOR")
  @Query(() => RegionReadinessConnection, {
    description:
      "Readiness of the region and every region below it, each over its own subtree. Needs a role over the region.",
  })
  async readiness(
    @Arg("regionId", () => ID, { description: "County, township or village." }) regionId: string,
    @Arg("asOf", () => String, { nullable: true, description: AS_OF_DESCRIPTION }) asOfText: string | null,
    @Arg("staleAfterDays", () => Int, {
      nullable: true,
      description: `A depot without a submitted stock-take in this many days is stale (default ${DEFAULT_STALE_AFTER_DAYS}).`,
    })
    staleAfterDays: number | null,
    @Args(() => PageArgs) page: PageArgs,
    @Ctx() ctx: Context,
  ): Promise<RegionReadinessConnection> {
    const asOf = asOfArg(ctx, asOfText);
    const stale = staleAfterDays ?? DEFAULT_STALE_AFTER_DAYS;
    if (!Number.isInteger(stale) || stale < 1 || stale > 3650)
      throw badInput("staleAfterDays must be 1 to 3650", "staleAfterDays");
    const root = await visibleRegion(ctx, regionId);
    if (!root) return empty;
    const lineage = await ctx.loaders.regionLineage.load(root);
    if (!coversRegion(ctx.actor!, { countyId: root.countyId, regionLineage: lineage })) return empty;
    const db = ctx.deps.database.db;
    const regionPage = await regions.listSubtree(db, root, toPageRequest(page));
    for (const r of regionPage.rows) ctx.loaders.region.prime({ countyId: r.countyId, id: r.id }, r);
    const figures = await readinessOf(
      db,
      regionPage.rows.map((r) => ({ countyId: r.countyId, id: r.id })),
      asOf,
      { staleAfterDays: stale, paperworkDays: ctx.deps.policy.emergencyPaperworkDays },
      judgedAt(asOf, ctx.deps.clock()),
    );
    const toItems = (rows: readonly ReadinessItemQuantity[]) =>
      rows.map((q) => Object.assign(new ItemQuantity(), { ...q, quantity: formatQuantity(q.quantity) }));
    return toConnection(
      { rows: figures.map((f) => ({ ...f, id: f.region.id })), hasNextPage: regionPage.hasNextPage },
      (f) =>
        Object.assign(new RegionReadiness(), {
          countyId: f.region.countyId,
          regionId: f.region.id,
          expired: toItems(f.expired),
          expiringWithin30Days: toItems(f.expiringWithin30Days),
          serialisedUnits: f.serialisedUnits.total,
          unitsTestOverdue: f.serialisedUnits.flagged,
          openRotations: f.rotations.flagged,
          openLoans: f.loans.total,
          overdueLoans: f.loans.flagged,
          openCallUps: f.callUps.total,
          lateCallUps: f.callUps.flagged,
          depots: f.depots.total,
          staleDepots: f.depots.flagged,
          openPaperwork: f.paperwork.total,
          overduePaperwork: f.paperwork.flagged,
          agreementsEnding: f.agreementsEnding,
          countedInTimeShare: countedInTimeShare(f.depots.total, f.depots.flagged),
        }),
    );
  }

  @Authorized("KEEPER", "TOWNSHIP_OFFICER", "COUNTY_OFFICER")
  @Mutation(() => RotateOutPayload, {
    description:
      "Rotate stock out before it expires (donate, sell, return): a ROTATION_OUT line and an open rotation until a receipt replaces it.",
  })
  rotateOut(@Arg("input", () => RotateOutInput) input: RotateOutInput, @Ctx() ctx: Context) {
    return payload(
      () =>
        rotateOut(ctx.deps, ctx.actor!, {
          ...input,
          lot: expectCountyKey(input.lotId, "Lot", "input.lotId"),
        }),
      (r) => ({
        rotation: Rotation.from(r.rotation),
        movements: r.movements.map(Movement.from),
        lots: r.lots.map(Lot.from),
      }),
      { rotation: null, movements: [], lots: [] },
    );
  }
}

@Resolver(() => RotationAction)
export class RotationActionResolver {
  @FieldResolver(() => Region, { nullable: true, description: "TRANSFER: the region short of the item." })
  async toRegion(@Root() a: RotationAction, @Ctx() ctx: Context): Promise<Region | null> {
    if (a.toRegionId === null) return null;
    const row = await ctx.loaders.region.load({ countyId: a.countyId, id: a.toRegionId });
    return row && Region.from(row);
  }

  @FieldResolver(() => Depot, {
    nullable: true,
    description: "TRANSFER: the depot to send to; null when outside the viewer's scope.",
  })
  async toDepot(@Root() a: RotationAction, @Ctx() ctx: Context): Promise<Depot | null> {
    if (a.toDepotId === null) return null;
    const row = await ctx.loaders.depot.load({ countyId: a.countyId, id: a.toDepotId });
    return row && Depot.from(row);
  }
}

@Resolver(() => Rotation)
export class RotationResolver {
  @FieldResolver(() => Lot, { description: "The lot stock was rotated out of." })
  async lot(@Root() r: Rotation, @Ctx() ctx: Context): Promise<Lot> {
    return Lot.from((await ctx.loaders.lot.load({ countyId: r.countyId, id: r.lotId }))!);
  }

  @FieldResolver(() => Item, { description: "The item." })
  async item(@Root() r: Rotation, @Ctx() ctx: Context): Promise<Item> {
    return Item.from((await ctx.loaders.item.load(r.itemId))!);
  }

  @FieldResolver(() => Depot, { description: "The depot." })
  async depot(@Root() r: Rotation, @Ctx() ctx: Context): Promise<Depot> {
    return Depot.from((await ctx.loaders.depot.load({ countyId: r.countyId, id: r.depotId }))!);
  }

  @FieldResolver(() => Lot, {
    nullable: true,
    description: "The lot received as replacement, once it arrived.",
  })
  async replacementLot(@Root() r: Rotation, @Ctx() ctx: Context): Promise<Lot | null> {
    if (r.replacementLotId === null) return null;
    const row = await ctx.loaders.lot.load({ countyId: r.countyId, id: r.replacementLotId });
    return row && Lot.from(row);
  }
}

@Resolver(() => ItemQuantity)
export class ItemQuantityResolver {
  @FieldResolver(() => Item, { description: "The item." })
  async item(@Root() q: ItemQuantity, @Ctx() ctx: Context): Promise<Item> {
    return Item.from((await ctx.loaders.item.load(q.itemId))!);
  }
}

@Resolver(() => RegionReadiness)
export class RegionReadinessResolver {
  @FieldResolver(() => Region, { description: "The region these figures cover, with everything below it." })
  async region(@Root() r: RegionReadiness, @Ctx() ctx: Context): Promise<Region> {
    return Region.from((await ctx.loaders.region.load({ countyId: r.countyId, id: r.regionId }))!);
  }

  @FieldResolver(() => [Agreement], {
    description:
      "Agreement reserves (协议储备) in force that end within 60 days, soonest first: contracts to renew before the reserve lapses.",
  })
  async agreementsEndingWithin60Days(@Root() r: RegionReadiness, @Ctx() ctx: Context): Promise<Agreement[]> {
    const rows = await ctx.loaders.agreement.loadMany(r.agreementsEnding);
    return rows.filter((a): a is AgreementRow => a !== null && !(a instanceof Error)).map(Agreement.from);
  }
}
