import { eq } from "drizzle-orm";
import type { Executor } from "../client.js";
import type { ItemRow, UnitRow } from "./catalogue.js";
import { items, units } from "../schema/index.js";

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
