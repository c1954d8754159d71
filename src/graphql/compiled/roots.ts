import { dayIdCursorSql, idCursorSql, whereSql } from "../../db/compiled/statement.js";
import { expiringWhere } from "../../db/reports/expiry.js";
import { depotListWhere } from "../../db/repositories/depots.js";
import { lotListWhere } from "../../db/repositories/lots.js";
import { movementListWhere } from "../../db/repositories/movements.js";
import { visibleRequisitionWhere } from "../../db/repositories/requisitions.lists.js";
import { expectCountyKey } from "../ids.js";
import { depotFilterOf } from "../modules/depot/depot.resolver.js";
import { expiringArgsOf } from "../modules/readiness/readiness.resolver.js";
import { lotFilterOf, movementFilterOf } from "../modules/stock/ledger.resolver.js";
import { toPageRequest } from "../relay.js";
import type { Args, Env, PageRows, RootShape } from "./model.js";

/**
 * The root fields the compiler answers, each through its resolver's own argument checks (lotFilterOf,
 * expiringArgsOf, …), page and the repository's own WHERE clause. Anything a resolver would refuse (a malformed ID or cursor, a page size out of range) makes `rows` throw
 * or answer null, and the whole operation goes to the resolvers, which say it as they always have.
 */

const where = (env: Env, fragment: Parameters<typeof whereSql>[1]) => whereSql(env.st, fragment);
const pageOf = (args: Args) =>
  toPageRequest({ first: args.first as number | null, after: args.after as string | null });

/** A page in id order, with `encodeCursor`'s cursors (relay.ts). */
const idPage = (
  alias: string,
  from: string,
  where: string,
  page: { first: number },
  direction: "asc" | "desc" = "asc",
): PageRows => ({
  alias,
  from,
  where,
  orderBy: `${alias}.id ${direction}`,
  first: page.first,
  cursor: (p) => idCursorSql(`${p}.id`),
});

const LOTS_WITH_DEPOTS =
  "lots inner join depots on depots.county_id = lots.county_id and depots.id = lots.depot_id";

export const ROOT_SHAPES: Record<string, RootShape> = {
  lots: {
    kind: "connection",
    node: "Lot",
    rows: (env, args) => {
      const page = pageOf(args);
      const filter = lotFilterOf(args);
      return idPage("lots", LOTS_WITH_DEPOTS, where(env, lotListWhere(env.ctx.scope, filter, page)), page);
    },
  },
  expiringLots: {
    kind: "connection",
    node: "ExpiringLot",
    rows: async (env, args) => {
      const { asOf, region, first, after } = await expiringArgsOf(env.ctx, args as never);
      env.judgedOn = env.st.param(asOf, "date");
      return {
        alias: "lots",
        from: LOTS_WITH_DEPOTS,
        // a region the viewer may not read has no expiring lots for them, as the resolver answers
        where: region
          ? where(env, expiringWhere(env.ctx.scope, region, asOf, args.within as number, after))
          : "false",
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
      const where_ = where(env, depotListWhere(env.ctx.scope, depotFilterOf(args), page));
      return idPage("depots", "depots", where_, page);
    },
  },
  movements: {
    kind: "connection",
    node: "Movement",
    rows: (env, args) => {
      const page = pageOf(args);
      const filter = movementFilterOf(args);
      const from =
        "movements inner join depots on depots.county_id = movements.county_id and depots.id = movements.depot_id";
      return idPage(
        "movements",
        from,
        where(env, movementListWhere(env.ctx.scope, filter, page)),
        page,
        "desc",
      );
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
