import { and, asc, eq, gt, inArray } from "drizzle-orm";
import type { ItemCategory } from "../../domain/catalogue/item.js";
import type { Executor } from "../client.js";
import { items, units } from "../schema/index.js";
import { type Page, type PageRequest, toPage } from "./page.js";

export type ItemRow = typeof items.$inferSelect;
export type UnitRow = typeof units.$inferSelect;

export async function upsertUnit(db: Executor, unit: UnitRow): Promise<void> {
  await db.insert(units).values(unit).onConflictDoNothing();
}

export async function insertItem(
  db: Executor,
  item: Omit<typeof items.$inferInsert, "id">,
): Promise<ItemRow> {
  const [row] = await db.insert(items).values(item).returning();
  return row!;
}

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

export type ItemPatch = Partial<
  Pick<
    ItemRow,
    | "nameZh"
    | "nameEn"
    | "description"
    | "category"
    | "classificationCode"
    | "shelfLifeDays"
    | "rotationLeadDays"
    | "testRunIntervalDays"
    | "returnable"
  >
>;

export async function lockItem(db: Executor, id: number): Promise<ItemRow | null> {
  const [row] = await db.select().from(items).where(eq(items.id, id)).for("update");
  return row ?? null;
}

export async function updateItem(db: Executor, id: number, patch: ItemPatch): Promise<ItemRow> {
  const [row] = await db.update(items).set(patch).where(eq(items.id, id)).returning();
  return row!;
}

export async function retireItem(db: Executor, id: number, at: Date, reason: string): Promise<ItemRow> {
  const [row] = await db
    .update(items)
    .set({ retiredAt: at, retiredReason: reason })
    .where(eq(items.id, id))
    .returning();
  return row!;
}

export async function insertUnit(db: Executor, unit: UnitRow): Promise<UnitRow> {
  const [row] = await db.insert(units).values(unit).returning();
  return row!;
}
