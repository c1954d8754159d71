import { dayIdCursorSql, idCursorSql, whereSql } from "../../db/compiled/statement.js";
import { expiringWhere } from "../../db/reports/expiry.js";
import { depotListWhere } from "../../db/repositories/depots.js";
import { lotListWhere } from "../../db/repositories/lots.js";
import { movementListWhere } from "../../db/repositories/movements.js";
import { visibleRequisitionWhere } from "../../db/repositories/requisitions.lists.js";
import type { DepotKind } from "../../domain/region/region.js";
import { parseCalendarDate } from "../../domain/shared/calendar.js";
import type { LotCondition } from "../../domain/stock/lot.js";
import type { MovementKind } from "../../domain/stock/movement.js";
import { asOfArg } from "../asOf.js";
import { expectCountyKey, expectPlainId } from "../ids.js";
import { visibleRegion } from "../modules/readiness/readiness.resolver.js";
import { decodeKeyCursor, pageSize, toPageRequest } from "../relay.js";
import type { Args, Env, RootShape } from "./model.js";

/**
 * The root fields the compiler answers, each with its resolver's arguments, page and the repository's own WHERE
 * clause. Anything a resolver would refuse (a malformed ID or cursor, a page size out of range) makes `rows` throw
 * or answer null, and the whole operation goes to the resolvers, which say it as they always have.
 */

const text = (v: unknown) => (v == null ? undefined : (v as string));
const optionalKey = (v: unknown, type: "Depot" | "Lot" | "Region", name: string) =>
  v == null ? undefined : expectCountyKey(v as string, type, name);
const optionalPlain = (v: unknown, type: "Item" | "User", name: string) =>
  v == null ? undefined : expectPlainId(v as string, type, name);
const where = (env: Env, fragment: Parameters<typeof whereSql>[1]) => whereSql(env.st, fragment);
const pageOf = (args: Args) =>
  toPageRequest({ first: args.first as number | null, after: args.after as string | null });

const LOTS_WITH_DEPOTS =
  "lots inner join depots on depots.county_id = lots.county_id and depots.id = lots.depot_id";

export const ROOT_SHAPES: Record<string, RootShape> = {
  lots: {
    kind: "connection",
    node: "Lot",
    rows: (env, args) => {
      const expiringBefore = text(args.expiringBefore);
      if (expiringBefore !== undefined && !parseCalendarDate(expiringBefore)) return null;
      const page = pageOf(args);
      const filter = {
        depot: optionalKey(args.depotId, "Depot", "depotId"),
        itemId: optionalPlain(args.itemId, "Item", "itemId"),
        condition: (args.condition as LotCondition | null) ?? undefined,
        expiringBefore,
        serialNumber: text(args.serialNumber),
      };
      return {
        alias: "lots",
        from: LOTS_WITH_DEPOTS,
        where: where(env, lotListWhere(env.ctx.scope, filter, page)),
        orderBy: "lots.id",
        first: page.first,
        cursor: (p) => idCursorSql(`${p}.id`),
      };
    },
  },
  expiringLots: {
    kind: "connection",
    node: "ExpiringLot",
    rows: async (env, args) => {
      const within = args.within as number;
      if (!Number.isInteger(within) || within < 1 || within > 366) return null;
      const asOf = asOfArg(env.ctx, text(args.asOf));
      const region = await visibleRegion(env.ctx, args.regionId as string);
      if (!region) return null;
      const after = decodeKeyCursor(text(args.after), 2);
      const first = pageSize({ first: args.first as number | null });
      const cursor = after ? { expiresOn: after[0]!, id: Number(after[1]) } : null;
      env.judgedOn = env.st.param(asOf, "date");
      return {
        alias: "lots",
        from: LOTS_WITH_DEPOTS,
        where: where(env, expiringWhere(env.ctx.scope, region, asOf, within, cursor)),
        orderBy: "lots.expires_on, lots.id",
        first,
        cursor: (p) => dayIdCursorSql(`${p}.expires_on`, `${p}.id`),
      };
    },
  },
  depots: {
    kind: "connection",
    node: "Depot",
    rows: (env, args) => {
      const page = pageOf(args);
      const filter = {
        region: optionalKey(args.regionId, "Region", "regionId"),
        kind: (args.kind as DepotKind | null) ?? undefined,
      };
      return {
        alias: "depots",
        from: "depots",
        where: where(env, depotListWhere(env.ctx.scope, filter, page)),
        orderBy: "depots.id",
        first: page.first,
        cursor: (p) => idCursorSql(`${p}.id`),
      };
    },
  },
  movements: {
    kind: "connection",
    node: "Movement",
    rows: (env, args) => {
      const page = pageOf(args);
      const filter = {
        depot: optionalKey(args.depotId, "Depot", "depotId"),
        lot: optionalKey(args.lotId, "Lot", "lotId"),
        itemId: optionalPlain(args.itemId, "Item", "itemId"),
        kind: (args.kind as MovementKind | null) ?? undefined,
        actorId: optionalPlain(args.actorId, "User", "actorId"),
        from: (args.from as Date | null) ?? undefined,
        to: (args.to as Date | null) ?? undefined,
      };
      return {
        alias: "movements",
        from: "movements inner join depots on depots.county_id = movements.county_id and depots.id = movements.depot_id",
        where: where(env, movementListWhere(env.ctx.scope, filter, page)),
        orderBy: "movements.id desc",
        first: page.first,
        cursor: (p) => idCursorSql(`${p}.id`),
      };
    },
  },
  requisition: {
    kind: "one",
    type: "Requisition",
    row: (env, args) => {
      const key = expectCountyKey(args.id as string, "Requisition", "id");
      return {
        alias: "requisitions",
        from: "requisitions",
        where: where(env, visibleRequisitionWhere(env.ctx.scope, key)),
      };
    },
  },
};
