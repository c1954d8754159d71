import { pgEnum } from "drizzle-orm/pg-core";
import { ITEM_CATEGORIES, TRACKING_MODES } from "../../domain/catalogue/item.js";
import { NORM_BASES } from "../../domain/coverage/norm.js";
import { ROLES } from "../../domain/custody/roles.js";
import { EMERGENCY_LEVELS, PAPERWORK_STATUSES } from "../../domain/emergency/emergency.js";
import { DEPOT_KINDS, REGION_LEVELS } from "../../domain/region/region.js";
import { REJECTED_DISPOSITIONS, SETTLEMENTS } from "../../domain/requisition/discrepancy.js";
import { PRIORITIES, REQUISITION_STATUSES } from "../../domain/requisition/requisition.js";
import { DISPOSAL_KINDS } from "../../domain/rotation/rotation.js";
import { LOT_CONDITIONS } from "../../domain/stock/lot.js";
import {
  ISSUE_PURPOSES,
  MOVEMENT_KINDS,
  RECEIPT_SOURCES,
  WRITE_OFF_CAUSES,
} from "../../domain/stock/movement.js";
import { VEHICLE_KINDS, VEHICLE_STATUSES } from "../../domain/transport/vehicle.js";

export const regionLevel = pgEnum("region_level", REGION_LEVELS);
export const depotKind = pgEnum("depot_kind", DEPOT_KINDS);
export const role = pgEnum("role", ROLES);
export const itemCategory = pgEnum("item_category", ITEM_CATEGORIES);
export const trackingMode = pgEnum("tracking_mode", TRACKING_MODES);
export const lotCondition = pgEnum("lot_condition", LOT_CONDITIONS);
export const movementKind = pgEnum("movement_kind", MOVEMENT_KINDS);
export const receiptSource = pgEnum("receipt_source", RECEIPT_SOURCES);
export const issuePurpose = pgEnum("issue_purpose", ISSUE_PURPOSES);
export const writeOffCause = pgEnum("write_off_cause", WRITE_OFF_CAUSES);
export const priority = pgEnum("priority", PRIORITIES);
export const requisitionStatus = pgEnum("requisition_status", REQUISITION_STATUSES);
export const normBasis = pgEnum("norm_basis", NORM_BASES);
export const stockTakeStatus = pgEnum("stock_take_status", ["OPEN", "SUBMITTED", "CANCELLED"]);
export const writeOffStatus = pgEnum("write_off_status", ["PENDING", "CONFIRMED", "REJECTED"]);
export const testRunOutcome = pgEnum("test_run_outcome", ["PASSED", "FAILED"]);
export const testRunKind = pgEnum("test_run_kind", ["TEST_RUN", "MAINTENANCE"]);
export const rotationStatus = pgEnum("rotation_status", ["OPEN", "CLOSED"]);
export const disposalKind = pgEnum("disposal_kind", DISPOSAL_KINDS);
export const approvalLevel = pgEnum("approval_level", ["SUPPLIER", "COUNTY"]);
export const discrepancyKind = pgEnum("discrepancy_kind", ["REJECTED", "MISSING"]);
export const discrepancyDisposition = pgEnum("discrepancy_disposition", REJECTED_DISPOSITIONS);
export const discrepancySettlement = pgEnum("discrepancy_settlement", SETTLEMENTS);
export const loanStatus = pgEnum("loan_status", ["OPEN", "RETURNED"]);
export const emergencyLevel = pgEnum("emergency_level", EMERGENCY_LEVELS);
export const paperworkStatus = pgEnum("paperwork_status", PAPERWORK_STATUSES);
export const vehicleKind = pgEnum("vehicle_kind", VEHICLE_KINDS);
export const vehicleStatus = pgEnum("vehicle_status", VEHICLE_STATUSES);
