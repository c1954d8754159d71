import "reflect-metadata";
import { type GraphQLSchema, lexicographicSortSchema, printSchema } from "graphql";
import { type AuthChecker, buildSchema } from "type-graphql";
import { hasRole } from "../domain/custody/actor.js";
import type { Role } from "../domain/custody/roles.js";
import type { Context } from "./context.js";
import { topLevel } from "./errors.js";
import { guardArguments } from "./inputGuard.js";
import { AccountResolver } from "./modules/account/account.resolver.js";
import { AuditEventResolver } from "./modules/admin/audit.resolver.js";
import { PeopleResolver } from "./modules/people/people.resolver.js";
import { CatalogueAdminResolver } from "./modules/admin/catalogue.resolver.js";
import { PlacesResolver } from "./modules/admin/places.resolver.js";
import { AgreementLineResolver, AgreementResolver } from "./modules/agreement/agreement.resolver.js";
import {
  AgreementCallUpsResolver,
  CallUpLineResolver,
  CallUpResolver,
} from "./modules/callUp/callUp.resolver.js";
import { ItemResolver } from "./modules/catalogue/item.resolver.js";
import {
  EmergencyPaperworkResolver,
  EmergencyResolver,
  MovementEmergencyResolver,
  RegionEmergencyResolver,
  RequisitionEmergencyResolver,
} from "./modules/emergency/emergency.resolver.js";
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
import { DiscrepancyQueryResolver } from "./modules/requisition/discrepancy.resolver.js";
import { RequisitionMutationResolver } from "./modules/requisition/requisition.mutations.js";
import { RequisitionResolver } from "./modules/requisition/requisition.resolver.js";
import { RequisitionNotificationResolver } from "./modules/requisition/notification.resolver.js";
import { livePubSub } from "./live.js";
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
import { StockTakeCommandResolver } from "./modules/stock/stockTake.resolver.js";
import { TransferResolver } from "./modules/stock/transfer.resolver.js";
import { ViewerResolver } from "./modules/viewer/viewer.resolver.js";
import {
  CoverageMapRowVehiclesResolver,
  CoverageReportVehiclesResolver,
  RequisitionVehiclesResolver,
  VehicleJourneyResolver,
  VehicleResolver,
} from "./modules/transport/vehicle.resolver.js";

/**
 * Coarse gate only: signed in, and holding one of the roles an operation names. Which depot or region is
 * decided by the custody policy inside each use case.
 */
export const authChecker: AuthChecker<Context, Role> = ({ context, info }, roles) => {
  if (!context.actor) throw topLevel("UNAUTHENTICATED");
  if (context.user?.mustChangePassword && isRootField(info.parentType.name)) {
    if (!WHILE_PASSWORD_MUST_CHANGE.has(info.fieldName))
      throw topLevel("FORBIDDEN", "change your one-time password first (changePassword)");
  }
  if (roles.length > 0 && !hasRole(context.actor, ...roles)) throw topLevel("FORBIDDEN");
  return true;
};

/** What a person signed in with a one-time password may do before choosing their own. */
const WHILE_PASSWORD_MUST_CHANGE = new Set(["changePassword", "signOut", "me"]);
const isRootField = (type: string) => type === "Query" || type === "Mutation" || type === "Subscription";

/** Every resolver of the API, in the order the schema has always been built in. */
const RESOLVERS = [
  ViewerResolver,
  AccountResolver,
  PeopleResolver,
  AuditEventResolver,
  PlacesResolver,
  CatalogueAdminResolver,
  AgreementResolver,
  AgreementLineResolver,
  AgreementCallUpsResolver,
  CallUpResolver,
  CallUpLineResolver,
  DepotHandoverResolver,
  HandoverStockLineResolver,
  NodeResolver,
  RegionResolver,
  DepotResolver,
  StockLevelResolver,
  ItemResolver,
  StockResolver,
  TransferResolver,
  StockTakeCommandResolver,
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
  DiscrepancyQueryResolver,
  LoanResolver,
  InTransitShipmentResolver,
  CoverageResolver,
  CoverageLineResolver,
  NeighbourOfferResolver,
  CoverageReportResolver,
  CoverageMapRowResolver,
  ReserveNormResolver,
  RequisitionNotificationResolver,
  VehicleResolver,
  VehicleJourneyResolver,
  RequisitionVehiclesResolver,
  CoverageMapRowVehiclesResolver,
  CoverageReportVehiclesResolver,
  EmergencyResolver,
  EmergencyPaperworkResolver,
  RegionEmergencyResolver,
  MovementEmergencyResolver,
  RequisitionEmergencyResolver,
] as const;

let built: Promise<GraphQLSchema> | null = null;

export function getSchema(): Promise<GraphQLSchema> {
  built ??= buildSchema({
    resolvers: RESOLVERS,
    authChecker,
    pubSub: livePubSub,
    validate: false,
    emitSchemaFile: false,
  }).then(guardArguments);
  return built;
}

/** The committed schema.graphql: sorted, so diffs show real changes only. */
export async function printedSchema(): Promise<string> {
  return `${printSchema(lexicographicSortSchema(await getSchema()))}\n`;
}
