import "reflect-metadata";
import { type GraphQLSchema, lexicographicSortSchema, printSchema } from "graphql";
import { type AuthChecker, buildSchema } from "type-graphql";
import { hasRole } from "../domain/custody/actor.js";
import type { Role } from "../domain/custody/roles.js";
import type { Context } from "./context.js";
import { topLevel } from "./errors.js";
import { AuditEventResolver } from "./modules/admin/audit.resolver.js";
import { CatalogueAdminResolver } from "./modules/admin/catalogue.resolver.js";
import { PlacesResolver } from "./modules/admin/places.resolver.js";
import { AgreementLineResolver, AgreementResolver } from "./modules/agreement/agreement.resolver.js";
import { ItemResolver } from "./modules/catalogue/item.resolver.js";
import {
  DepotHandoverResolver,
  DepotResolver,
  HandoverStockLineResolver,
  StockLevelResolver,
} from "./modules/depot/depot.resolver.js";
import {
  CoverageLineResolver,
  CoverageMapRowResolver,
  CoverageReportResolver,
  CoverageResolver,
  NeighbourOfferResolver,
  ReserveNormResolver,
} from "./modules/coverage/coverage.resolver.js";
import { NodeResolver } from "./modules/node/node.resolver.js";
import {
  AllocationResolver,
  ApprovalResolver,
  DiscrepancyResolver,
  InTransitShipmentResolver,
  LoanResolver,
  RequisitionEventResolver,
  RequisitionLineResolver,
} from "./modules/requisition/requisitionParts.resolver.js";
import { RequisitionMutationResolver } from "./modules/requisition/requisition.mutations.js";
import { RequisitionResolver } from "./modules/requisition/requisition.resolver.js";
import {
  ItemQuantityResolver,
  ReadinessResolver,
  RegionReadinessResolver,
  RotationActionResolver,
  RotationResolver,
} from "./modules/readiness/readiness.resolver.js";
import { RegionResolver } from "./modules/region/region.resolver.js";
import {
  LedgerResolver,
  MovementResolver,
  StockTakeLineResolver,
  StockTakeResolver,
  WriteOffRequestResolver,
} from "./modules/stock/ledger.resolver.js";
import { LotResolver, StockResolver } from "./modules/stock/stock.resolver.js";
import { ViewerResolver } from "./modules/viewer/viewer.resolver.js";

/**
 * Coarse gate only: signed in, and holding one of the roles an operation names. Which depot or region is
 * decided by the custody policy inside each use case.
 */
export const authChecker: AuthChecker<Context, Role> = ({ context }, roles) => {
  if (!context.actor) throw topLevel("UNAUTHENTICATED");
  if (roles.length > 0 && !hasRole(context.actor, ...roles)) throw topLevel("FORBIDDEN");
  return true;
};

let built: Promise<GraphQLSchema> | null = null;

export function getSchema(): Promise<GraphQLSchema> {
  built ??= buildSchema({
    resolvers: [
      ViewerResolver,
      AuditEventResolver,
      PlacesResolver,
      CatalogueAdminResolver,
      AgreementResolver,
      AgreementLineResolver,
      DepotHandoverResolver,
      HandoverStockLineResolver,
      NodeResolver,
      RegionResolver,
      DepotResolver,
      StockLevelResolver,
      ItemResolver,
      StockResolver,
      LotResolver,
      LedgerResolver,
      MovementResolver,
      StockTakeResolver,
      StockTakeLineResolver,
      WriteOffRequestResolver,
      ReadinessResolver,
      RotationActionResolver,
      RotationResolver,
      ItemQuantityResolver,
      RegionReadinessResolver,
      RequisitionResolver,
      RequisitionMutationResolver,
      RequisitionLineResolver,
      AllocationResolver,
      ApprovalResolver,
      RequisitionEventResolver,
      DiscrepancyResolver,
      LoanResolver,
      InTransitShipmentResolver,
      CoverageResolver,
      CoverageLineResolver,
      NeighbourOfferResolver,
      CoverageReportResolver,
      CoverageMapRowResolver,
      ReserveNormResolver,
    ],
    authChecker,
    validate: false,
    emitSchemaFile: false,
  });
  return built;
}

/** The committed schema.graphql: sorted, so diffs show real changes only. */
export async function printedSchema(): Promise<string> {
  return `${printSchema(lexicographicSortSchema(await getSchema()))}\n`;
}
