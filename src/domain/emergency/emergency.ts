import type { RegionLevel } from "../region/region.js";
import { type CalendarDate, daysBetween } from "../shared/calendar.js";
import { DomainError } from "../shared/errors.js";

/**
 * Response levels of a declared emergency (应急响应级别): LEVEL_I (Ⅰ级) is the gravest, LEVEL_IV (Ⅳ级) the
 * lightest, as the national emergency plans number them.
 */
export const EMERGENCY_LEVELS = ["LEVEL_I", "LEVEL_II", "LEVEL_III", "LEVEL_IV"] as const;
export type EmergencyLevel = (typeof EMERGENCY_LEVELS)[number];

/**
 * Paperwork owed after acting first (先处置后补手续): open until the office approves it after the fact or
 * contests it.
 */
export const PAPERWORK_STATUSES = ["OPEN", "APPROVED", "CONTESTED"] as const;
export type PaperworkStatus = (typeof PAPERWORK_STATUSES)[number];

/** What the rules need of a declared emergency. */
export interface EmergencyFacts {
  id: number;
  number: number;
  regionId: number;
  until: Date | null;
  endedAt: Date | null;
}

/** Active at an instant: not ended, and open-ended or not yet past its `until`. */
export const isActive = (e: Pick<EmergencyFacts, "until" | "endedAt">, now: Date): boolean =>
  e.endedAt === null && (e.until === null || e.until.getTime() > now.getTime());

/**
 * An emergency covers the region it was declared for and every region under it: it covers a place whose
 * lineage (the place's region and its ancestors, nearest first) names the emergency's region.
 */
export const covers = (e: Pick<EmergencyFacts, "regionId">, lineage: readonly number[]): boolean =>
  lineage.includes(e.regionId);

/**
 * The active emergency a place acts under, of those declared: the one declared nearest to the place (a
 * township's own before the county's), the earliest declared among equals; null when none covers it now.
 */
export function coveringEmergency<E extends EmergencyFacts>(
  declared: readonly E[],
  lineage: readonly number[],
  now: Date,
): E | null {
  const candidates = declared
    .filter((e) => isActive(e, now) && covers(e, lineage))
    .sort((a, b) => lineage.indexOf(a.regionId) - lineage.indexOf(b.regionId) || a.number - b.number);
  return candidates[0] ?? null;
}

/** A declaration's end, if given, lies after the moment it is declared (INVALID_INPUT otherwise). */
export function assertUntil(until: Date | null, now: Date): void {
  if (until !== null && until.getTime() <= now.getTime())
    throw new DomainError("INVALID_INPUT", "an emergency declared until a moment already past", ["until"]);
}

/** Only an active emergency is ended; one ended already, or past its `until`, is over (INVALID_TRANSITION). */
export function assertEndable(e: Pick<EmergencyFacts, "until" | "endedAt">, now: Date): void {
  if (e.endedAt !== null) throw new DomainError("INVALID_TRANSITION", "the emergency has already ended");
  if (!isActive(e, now)) throw new DomainError("INVALID_TRANSITION", "the emergency ran out at its end time");
}

/**
 * The region whose office owes the paperwork for what went out of a depot under an emergency: the township
 * that holds the depot (itself, or the township above its village); a county depot's is the county's.
 */
export function owingRegion(depotRegionLevel: RegionLevel, lineage: readonly number[]): number {
  const index = depotRegionLevel === "VILLAGE" ? 1 : 0;
  const region = lineage[index];
  if (region === undefined) throw new Error("a depot's lineage names its region and every ancestor");
  return region;
}

/**
 * Paperwork is overdue when it is still OPEN more than `days` days, counted in the county's calendar, after the
 * day it was opened (EMERGENCY_PAPERWORK_DAYS).
 */
export const isPaperworkOverdue = (
  p: { status: PaperworkStatus; openedOn: CalendarDate },
  today: CalendarDate,
  days: number,
): boolean => p.status === "OPEN" && daysBetween(p.openedOn, today) > days;

/** Paperwork is resolved once, from OPEN, with the office's note (INVALID_TRANSITION otherwise). */
export function assertResolvable(status: PaperworkStatus): void {
  if (status !== "OPEN")
    throw new DomainError("INVALID_TRANSITION", `the paperwork is already ${status.toLowerCase()}`);
}
