import { type Placeholder, type SQL, sql } from "drizzle-orm";
import { type CalendarDate, SERVICE_TIME_ZONE } from "../../domain/shared/calendar.js";

/**
 * The lot rules of src/domain/stock/availability.ts as SQL, the one copy every statement uses (custody rule 2,
 * docs/custody-rules.md); test/predicates.test.ts runs both over the same lots. Each fragment takes the name the
 * statement gives the lots table: `"l"` in hand-written statements, `"lots"` in built ones.
 */
type LotsAlias = "l" | "lots";
type ItemsAlias = "i" | "items";
/** The day a rule is judged on: a value, or a placeholder in a statement written once (`shapedStatement`). */
type JudgedOn = CalendarDate | Placeholder;

const col = (l: LotsAlias | ItemsAlias, column: string): SQL =>
  sql`${sql.identifier(l)}.${sql.identifier(column)}`;

const pastExpiry = (l: LotsAlias, asOf: JudgedOn): SQL =>
  sql`(${col(l, "expires_on")} is not null and ${col(l, "expires_on")} < ${asOf}::date)`;

/** Serviceable and unexpired on `asOf` (standing USABLE): may be issued, allocated or rotated. */
export const lotUsable = (l: LotsAlias, asOf: JudgedOn): SQL =>
  sql`(${col(l, "condition")} = 'SERVICEABLE' and (${col(l, "expires_on")} is null or ${col(l, "expires_on")} >= ${asOf}::date))`;

/** Standing EXPIRED: marked expired, or past its expiry on `asOf`, unless damaged. */
export const lotExpired = (l: LotsAlias, asOf: JudgedOn): SQL =>
  sql`(${col(l, "condition")} <> 'DAMAGED' and (${col(l, "condition")} = 'EXPIRED' or ${pastExpiry(l, asOf)}))`;

/** Standing QUARANTINED: held back by a person and not yet past its expiry. */
export const lotQuarantined = (l: LotsAlias, asOf: JudgedOn): SQL =>
  sql`(${col(l, "condition")} = 'QUARANTINED' and not ${pastExpiry(l, asOf)})`;

/** Standing DAMAGED: final, whatever its dates. */
export const lotDamaged = (l: LotsAlias): SQL => sql`(${col(l, "condition")} = 'DAMAGED')`;

/** Usable on `asOf` and expiring at most `days` later (a lot expiring on `asOf` has 0 days left). */
export const lotExpiresWithin = (l: LotsAlias, asOf: JudgedOn, days: number): SQL =>
  sql`(${col(l, "condition")} = 'SERVICEABLE' and ${col(l, "expires_on")} between ${asOf}::date and ${asOf}::date + ${days}::int)`;

/** Free stock of a lot: on hand minus what requisitions hold, whatever its condition. */
export const lotUnallocated = (l: LotsAlias): SQL => sql`(${col(l, "on_hand")} - ${col(l, "allocated")})`;

/** What of a lot can be taken on the day: its free stock if it is usable, else nothing (`availableOf`). */
export const lotAvailable = (l: LotsAlias, asOf: JudgedOn): SQL =>
  sql`(case when ${lotUsable(l, asOf)} then ${lotUnallocated(l)} else 0 end)`;

/**
 * First-expiry-first-out as an ORDER BY list, `fefoOrder` of src/domain/stock/fefo.ts: earliest expiry first, lots
 * that never expire last, then oldest receipt, then id (unique, so the order is total and a running sum over it is
 * one answer). test/fefoPick.test.ts holds the pick it orders equal to the domain's.
 */
export const lotFefoOrder = (l: LotsAlias): SQL =>
  sql`${col(l, "expires_on")} asc nulls last, ${col(l, "received_on")} asc, ${col(l, "id")} asc`;

/**
 * The named quantities over a group of lots, a partition of on hand (see `namedQuantities` in the domain):
 * allocated whatever the lot's standing; the free rest of each lot counted once, by its standing.
 */
export const namedSums = (l: LotsAlias, asOf: JudgedOn): SQL => {
  const free = lotUnallocated(l);
  return sql`
        coalesce(sum(${col(l, "on_hand")}), 0) as on_hand,
        coalesce(sum(${col(l, "allocated")}), 0) as allocated,
        coalesce(sum(${free}) filter (where ${lotQuarantined(l, asOf)}), 0) as quarantined,
        coalesce(sum(${free}) filter (where ${lotDamaged(l)}), 0) as damaged,
        coalesce(sum(${free}) filter (where ${lotExpired(l, asOf)}), 0) as expired,
        coalesce(sum(${free}) filter (where ${lotUsable(l, asOf)}), 0) as usable`;
};

/**
 * A serialised unit overdue for its test run on `asOf`: its last run (never run: its receipt) lies more than its
 * item's interval before. `i` names the items table.
 */
export const testRunOverdue = (l: LotsAlias, i: ItemsAlias, asOf: JudgedOn): SQL =>
  sql`(coalesce(${col(l, "last_test_run_on")}, ${col(l, "received_on")}) + ${col(i, "test_run_interval_days")} < ${asOf}::date)`;

/**
 * Inside its item's rotation window on `asOf`: usable, from the item's rotation lead days before its expiry until
 * it expires. `i` names the items table.
 */
export const inRotationWindow = (l: LotsAlias, i: ItemsAlias, asOf: JudgedOn): SQL =>
  sql`(${lotUsable(l, asOf)} and ${col(i, "rotation_lead_days")} is not null
    and ${col(l, "expires_on")} - ${col(i, "rotation_lead_days")} <= ${asOf}::date)`;

/** The county's calendar day of an instant column (Asia/Shanghai, the zone the domain judges days in). */
export const serviceDay = (instant: SQL): SQL =>
  sql`(${instant} at time zone ${sql.raw(`'${SERVICE_TIME_ZONE}'`)})::date`;
