import type { Actor } from "../../domain/custody/actor.js";
import { DomainError } from "../../domain/shared/errors.js";
import { cleanText } from "../../domain/shared/text.js";

/** A required name: one line, trimmed, at most 200 characters (the shared text rule's NAME kind). */
export function requiredName(value: string | null | undefined, field: string, what: string): string {
  const text = cleanText(value ?? "", "NAME", [field], what);
  if (!text) throw new DomainError("INVALID_INPUT", `${what} is required`, [field]);
  return text;
}

/** An optional text: absent is "", otherwise trimmed and at most `max` characters. */
export function optionalText(value: string | null | undefined, field: string, max = 2000): string {
  const text = (value ?? "").trim();
  if (text.length > max) throw new DomainError("INVALID_INPUT", `longer than ${max} characters`, [field]);
  return text;
}

/** A whole number within bounds, or the refusal naming its field. */
export function wholeNumber(value: number, field: string, min: number, max = 2_000_000_000): number {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new DomainError("INVALID_INPUT", `must be a whole number from ${min} to ${max}`, [field]);
  }
  return value;
}

/** A stable code: letters, digits, `_`, `-` and `.`, at most 64 characters. */
export function codeOf(value: string, field: string): string {
  const code = value.trim();
  if (!/^[A-Za-z0-9_.-]{1,64}$/.test(code)) {
    throw new DomainError("INVALID_INPUT", "a code has 1 to 64 letters, digits, '_', '-' or '.'", [field]);
  }
  return code;
}

/**
 * The county a shared-catalogue change is recorded under: the one named, or the administrator's only county. An
 * administrator of several counties must name one.
 */
export function catalogueCounty(actor: Actor, countyId: number | null | undefined): number {
  if (countyId != null) return countyId;
  const counties = [...new Set(actor.grants.filter((g) => g.role === "COUNTY_ADMIN").map((g) => g.countyId))];
  if (counties.length !== 1) {
    throw new DomainError("INVALID_INPUT", "name the county this change is recorded under", ["countyId"]);
  }
  return counties[0]!;
}

/** `undefined` leaves a field as it is; the patch carries only what was given. */
export function definedOnly<T extends object>(patch: T): Partial<T> {
  return Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)) as Partial<T>;
}
