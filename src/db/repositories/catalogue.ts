import { and, asc, eq, gt, inArray } from "drizzle-orm";
import type { Executor } from "../client.js";
import { type Page, type PageRequest, toPage } from "./page.js";
import { items, units } from "../schema/index.js";
import type { ItemCategory } from "../../domain/catalogue/item.js";

export type ItemRow = typeof items.$inferSelect;

export type UnitRow = typeof units.$inferSelect;

export function findItemsByIds(db: Executor, ids: readonly number[]): Promise<ItemRow[]> {
  return db
    .select()
    .from(items)
    .where(inArray(items.id, [...ids]));
}

export function findItemsByCodes(db: Executor, codes: readonly string[]): Promise<ItemRow[]> {
  return db
    .select()
    .from(items)
    .where(inArray(items.code, [...codes]));
}

export function findUnits(db: Executor, codes: readonly string[]): Promise<UnitRow[]> {
  return db
    .select()
    .from(units)
    .where(inArray(units.code, [...codes]));
}

export async function listItems(
  db: Executor,
  filter: { category?: ItemCategory | undefined },
  page: PageRequest,
): Promise<Page<ItemRow>> {
  const rows = await db
    .select()
    .from(items)
    .where(
      and(
        filter.category ? eq(items.category, filter.category) : undefined,
        page.afterId !== null ? gt(items.id, page.afterId) : undefined,
      ),
    )
    .orderBy(asc(items.id))
    .limit(page.first + 1);
  return toPage(rows, page.first);
}
