import type { Actor } from "../custody/actor.js";
import { DomainError } from "../shared/errors.js";
import type { Priority } from "./requisition.js";

export type ApprovalLevel = "SUPPLIER" | "COUNTY";

export interface ApprovalFacts {
  countyId: number;
  countyRegionId: number;
  supplyingRegionId: number;
  /** Escalated requests and requests to the county are the county's to approve. */
  supplierIsCounty: boolean;
  escalated: boolean;
  priority: Priority;
  createdBy: number;
  approvals: readonly { level: ApprovalLevel; approverId: number }[];
}

/** Which approval the actor can give now: the supplier's office first, then the county when it must also approve. */
export function approvalLevelFor(actor: Actor, f: ApprovalFacts): ApprovalLevel {
  const field = ["requisitionId"];
  if (f.createdBy === actor.userId)
    throw new DomainError("SELF_APPROVAL", "whoever created a request cannot approve it", field);
  if (f.approvals.some((a) => a.approverId === actor.userId)) {
    throw new DomainError("REPEAT_APPROVAL", "the same person cannot approve twice", field);
  }
  const isCountyOfficer = actor.grants.some(
    (g) => g.role === "COUNTY_OFFICER" && g.countyId === f.countyId && g.regionId === f.countyRegionId,
  );
  const isSupplierOfficer = actor.grants.some(
    (g) => g.role === "TOWNSHIP_OFFICER" && g.countyId === f.countyId && g.regionId === f.supplyingRegionId,
  );
  const countyFirst = f.supplierIsCounty || f.escalated;
  if (countyFirst) {
    if (isCountyOfficer) return "COUNTY";
  } else if (!f.approvals.some((a) => a.level === "SUPPLIER")) {
    if (isSupplierOfficer) return "SUPPLIER";
  } else if (isCountyOfficer) {
    return "COUNTY";
  }
  // a request the actor may see but not decide: not theirs to approve
  throw new DomainError("FORBIDDEN", "this approval belongs to another office", field);
}

/**
 * Custody rule 3 (docs/custody-rules.md): only an EMERGENCY request approved at county level may take a lender below
 * its reserve floor; or one the supplier approves while a declared emergency covers the requesting region, whose
 * county approval then follows as paperwork (先处置后补手续).
 */
export const mayDipIntoFloor = (priority: Priority, level: ApprovalLevel, underEmergency = false): boolean =>
  priority === "EMERGENCY" && (level === "COUNTY" || underEmergency);
