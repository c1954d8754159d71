/**
 * The closed vocabulary of business refusals. Every refusal the service can give is one of these codes;
 * the GraphQL layer maps each to a payload `userErrors` entry or a top-level error in one exhaustive switch.
 */
export const DOMAIN_ERROR_CODES = [
  "NOT_FOUND",
  "INVALID_INPUT",
  "INVALID_QUANTITY",
  "INSUFFICIENT_STOCK",
  "LOT_NOT_ISSUABLE",
  "RESERVE_FLOOR",
  /** Whoever created a requisition approves it (custody rule 4). */
  "SELF_APPROVAL",
  /** One person gives a second approval of the same requisition (custody rule 4). */
  "REPEAT_APPROVAL",
  /** Whoever dispatched a requisition confirms its receipt (custody rule 4). */
  "SELF_RECEIPT",
  /** Whoever asked for a write-off confirms it (custody rule 4). */
  "SELF_CONFIRMATION",
  "INVALID_TRANSITION",
  "ROUTE_NOT_ALLOWED",
  "CHANGE_FROM_QUANTITY_STALE",
  "IDEMPOTENCY_KEY_PARAMETER_MISMATCH",
  "RELEASE_ORDER_REQUIRED",
  "EXPIRED_ON_RECEIPT",
  "DUPLICATE",
  "INVALID_CREDENTIALS",
  "TOO_MANY_ATTEMPTS",
  "WEAK_PASSWORD",
  "SESSION_EXPIRED",
  "LAST_ADMINISTRATOR",
  "SELF_ADMINISTRATION",
  "DIVISION_CODE_NOT_UNDER_PARENT",
  "DEPOT_CLOSED",
  "DEPOT_HOLDS_STOCK",
  "DEPOT_HAS_ALLOCATIONS",
  "DEPOT_HAS_OPEN_REQUISITIONS",
  "DEPOT_HAS_OPEN_LOANS",
  "DEPOT_HAS_OPEN_STOCK_TAKE",
  "ITEM_RETIRED",
  /** A vehicle named for a dispatch is already on an open journey (应急运力, one journey at a time). */
  "VEHICLE_BUSY",
  /** A vehicle named for a dispatch is out of service. */
  "VEHICLE_OUT_OF_SERVICE",
  /** An agreement called on outside its validity, or after it was ended. */
  "AGREEMENT_NOT_IN_FORCE",
  /** A call-up names an item the agreement does not cover. */
  "NOT_IN_AGREEMENT",
  /** A call-up asks for more than the agreement has left to call up. */
  "AGREEMENT_EXCEEDED",
  /** A delivery brings more than the call-up still has outstanding. */
  "CALL_UP_OVER_DELIVERY",
  /** An emergency issue where no declared emergency covers the depot now (先处置后补手续 needs one). */
  "NO_ACTIVE_EMERGENCY",
  "UNAUTHENTICATED",
  "FORBIDDEN",
] as const;

export type DomainErrorCode = (typeof DOMAIN_ERROR_CODES)[number];

export class DomainError extends Error {
  constructor(
    readonly code: DomainErrorCode,
    message: string,
    /** Path of the input field the refusal is about, e.g. ["input", "quantity"]. */
    readonly field: readonly string[] | null = null,
  ) {
    super(message);
    this.name = "DomainError";
  }
}

export const isDomainError = (e: unknown): e is DomainError => e instanceof DomainError;
