import type { DepotKind } from "../region/region.js";
import { DomainError } from "../shared/errors.js";

/**
 * Custody rule 1: stock the county owns but an agent custodian holds (代储, AGENT_STORAGE) leaves only on a release
 * order (动用指令) from the emergency bureau, whatever the movement: who orders and who moves are separate. The
 * number is recorded on the ledger line; elsewhere a number given is kept as written, none is needed.
 */
export function releaseOrderFor(
  depotKind: DepotKind,
  releaseOrderNo: string | null | undefined,
  field: readonly string[] = ["releaseOrderNo"],
): string | null {
  const number = releaseOrderNo?.trim() || null;
  if (number && number.length > 200) {
    throw new DomainError("INVALID_INPUT", "a release order number is at most 200 characters", field);
  }
  if (!number && depotKind === "AGENT_STORAGE") {
    throw new DomainError(
      "RELEASE_ORDER_REQUIRED",
      "stock held by an agent custodian moves only with a release order number (动用指令)",
      field,
    );
  }
  return number;
}
