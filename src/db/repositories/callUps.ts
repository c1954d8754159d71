import { and, asc, desc, eq, gt, inArray, isNull, type SQL, sql } from "drizzle-orm";
import type { ReadScope } from "../../domain/custody/policy.js";
import { fromDb, type Quantity } from "../../domain/shared/quantity.js";
import type { Executor } from "../client.js";
import { type CountyKey, inKeys, rowsOf } from "../keys.js";
import { callUpLines, callUps, depots, movements } from "../schema/index.js";
import { calledByAgreementItem } from "./callUpPredicates.js";
import type { MovementRow } from "./movements.js";
import { type Page, type PageRequest, toPage } from "./page.js";
import { depotInScope } from "./scope.js";

export type CallUpRow = typeof callUps.$inferSelect;
export type CallUpLineRow = typeof callUpLines.$inferSelect;

/**
 * Call-ups are read by whoever may read their destination depot: the county and its auditors, the destination's
 * township office and its keeper. One out of that scope answers like one that does not exist.
 */
const visible = (scope: ReadScope): SQL =>
  sql`exists (select 1 from ${depots} where ${depots.countyId} = ${callUps.countyId} and ${depots.id} = ${callUps.destinationDepotId} and ${depotInScope(scope, depots)})`;

export function findVisible(
  db: Executor,
  scope: ReadScope,
  keys: readonly CountyKey[],
): Promise<CallUpRow[]> {
  return db
    .select()
    .from(callUps)
    .where(and(inKeys(callUps.countyId, callUps.id, keys), visible(scope)));
}

export function linesOf(db: Executor, keys: readonly CountyKey[]): Promise<CallUpLineRow[]> {
  return db
    .select()
    .from(callUpLines)
    .where(inKeys(callUpLines.countyId, callUpLines.callUpId, keys))
    .orderBy(asc(callUpLines.itemId));
}

/** The visible call-ups of agreements, newest first (Agreement.callUps). */
export function ofAgreements(
  db: Executor,
  scope: ReadScope,
  keys: readonly CountyKey[],
): Promise<CallUpRow[]> {
  return db
    .select()
    .from(callUps)
    .where(and(inKeys(callUps.countyId, callUps.agreementId, keys), visible(scope)))
    .orderBy(desc(callUps.id));
}

/** The delivery lines (RECEIPTs with source AGREEMENT_CALL_UP) of call-ups, in the order they were written. */
export function receiptsOf(db: Executor, keys: readonly CountyKey[]): Promise<MovementRow[]> {
  const byCounty = new Map<number, number[]>();
  for (const k of keys) byCounty.set(k.countyId, [...(byCounty.get(k.countyId) ?? []), k.id]);
  const parts = [...byCounty].map(([countyId, ids]) =>
    and(eq(movements.countyId, countyId), inArray(movements.callUpId, ids)),
  );
  if (parts.length === 0) return Promise.resolve([]);
  return db
    .select()
    .from(movements)
    .where(parts.length === 1 ? parts[0] : sql`(${sql.join(parts as SQL[], sql` or `)})`)
    .orderBy(asc(movements.id));
}

export interface CallUpFilter {
  agreement?: CountyKey | undefined;
  /** Only call-ups still waiting for goods. */
  openOnly?: boolean | undefined;
}

export async function list(
  db: Executor,
  scope: ReadScope,
  filter: CallUpFilter,
  page: PageRequest,
): Promise<Page<CallUpRow>> {
  const rows = await db
    .select()
    .from(callUps)
    .where(
      and(
        visible(scope),
        filter.agreement
          ? and(eq(callUps.countyId, filter.agreement.countyId), eq(callUps.agreementId, filter.agreement.id))
          : undefined,
        filter.openOnly ? and(isNull(callUps.closedAt), isNull(callUps.cancelledAt)) : undefined,
        page.afterId !== null ? gt(callUps.id, page.afterId) : undefined,
      ),
    )
    .orderBy(asc(callUps.id))
    .limit(page.first + 1);
  return toPage(rows, page.first);
}

/** What has been called of each item of an agreement so far (`calledOf`, summed over its call-ups). */
export async function calledOfAgreement(db: Executor, key: CountyKey): Promise<Map<number, Quantity>> {
  const rows = rowsOf<{ item_id: string; called: string }>(
    await db.execute(sql`
      select c.item_id::text, c.called::text
        from (${calledByAgreementItem(key.countyId)}) c
       where c.agreement_id = ${key.id}::bigint`),
  );
  return new Map(rows.map((r) => [Number(r.item_id), fromDb(r.called)]));
}
