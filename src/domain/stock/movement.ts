/**
 * Kinds of ledger line (出入库流水). Each kind fixes the sign of its quantity, so a line can never say
 * "receipt" and take stock away; the database enforces the same table with a CHECK constraint.
 */
export const MOVEMENT_KINDS = [
  "RECEIPT",
  "ISSUE",
  "TRANSFER_OUT",
  "TRANSFER_IN",
  "ADJUSTMENT",
  "WRITE_OFF",
  "ROTATION_OUT",
  "RETURN",
  "REVERSAL",
] as const;
export type MovementKind = (typeof MOVEMENT_KINDS)[number];

export type MovementSign = "POSITIVE" | "NEGATIVE" | "EITHER";

export const MOVEMENT_SIGN: Record<MovementKind, MovementSign> = {
  RECEIPT: "POSITIVE",
  TRANSFER_IN: "POSITIVE",
  RETURN: "POSITIVE",
  ISSUE: "NEGATIVE",
  TRANSFER_OUT: "NEGATIVE",
  WRITE_OFF: "NEGATIVE",
  ROTATION_OUT: "NEGATIVE",
  // a stock-take finds more or less than the book says
  ADJUSTMENT: "EITHER",
  // undoes one earlier line, so its sign is the opposite of that line's
  REVERSAL: "EITHER",
};

export const kindsWithSign = (sign: MovementSign): MovementKind[] =>
  MOVEMENT_KINDS.filter((k) => MOVEMENT_SIGN[k] === sign);

export const RECEIPT_SOURCES = [
  "PURCHASE",
  "DONATION",
  "TRANSFER",
  "AGREEMENT_CALL_UP",
  "OPENING_BALANCE",
] as const;
export type ReceiptSource = (typeof RECEIPT_SOURCES)[number];

/** Why stock was issued (出库用途). */
export const ISSUE_PURPOSES = ["FLOOD_FIGHTING", "DRILL", "DISTRIBUTION", "OTHER"] as const;
export type IssuePurpose = (typeof ISSUE_PURPOSES)[number];

/** Why stock was written off (报损原因). */
export const WRITE_OFF_CAUSES = ["DAMAGED", "EXPIRED", "LOST"] as const;
export type WriteOffCause = (typeof WRITE_OFF_CAUSES)[number];
