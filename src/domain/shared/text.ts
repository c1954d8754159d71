import { DomainError } from "./errors.js";

/**
 * Free text from outside, one rule for every field: trimmed, no NUL or other control characters (PostgreSQL
 * refuses NUL in text, and a control character in a lot code or a name is never meant), and at most as long as
 * its kind of field. Notes and reasons may span lines; codes and names may not.
 */
export const TEXT_KINDS = {
  /** lot codes, serial numbers, idempotency keys, contract and release order numbers, days, cursors */
  CODE: { max: 100, multiline: false, trim: true },
  /** names, recipients, carriers, references, incidents, addresses, search words */
  NAME: { max: 200, multiline: false, trim: true },
  /** reasons, notes, descriptions: what a person writes down */
  NOTE: { max: 2000, multiline: true, trim: true },
  /** passwords and tokens are taken exactly as typed */
  SECRET: { max: 1024, multiline: false, trim: false },
} as const;
export type TextKind = keyof typeof TEXT_KINDS;

// C0 and C1 controls and DEL; a note may keep its line breaks and tabs. Refusing them is the point here.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
// eslint-disable-next-line no-control-regex
const CONTROL_IN_NOTE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;

/** The text as stored (trimmed unless a secret), or what is wrong with it, for a person. */
export function checkText(value: string, kind: TextKind): { text: string } | { problem: string } {
  const rule = TEXT_KINDS[kind];
  const text = rule.trim ? value.trim() : value;
  // \r\n from a Windows form is a line break, not a control character
  const scanned = rule.multiline ? text.replace(/\r\n/g, "\n") : text;
  if ((rule.multiline ? CONTROL_IN_NOTE : CONTROL).test(scanned)) {
    return { problem: "contains a control character (NUL, escape or similar)" };
  }
  if ([...text].length > rule.max) return { problem: `is longer than ${rule.max} characters` };
  return { text: rule.multiline ? scanned : text };
}

/** `checkText`, refusing as INVALID_INPUT on the field. */
export function cleanText(value: string, kind: TextKind, field: readonly string[], what: string): string {
  const checked = checkText(value, kind);
  if ("problem" in checked) throw new DomainError("INVALID_INPUT", `${what} ${checked.problem}`, field);
  return checked.text;
}
