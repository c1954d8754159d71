import type { Executor } from "../client.js";
import { type CountyKey, inKeys } from "../keys.js";
import type { PaperworkRow } from "./emergencyPaperwork.js";
import { emergencyPaperwork } from "../schema/index.js";
import type { PaperworkStatus } from "../../domain/emergency/emergency.js";

export type NewPaperwork = Pick<
  typeof emergencyPaperwork.$inferInsert,
  "countyId" | "emergencyId" | "owedByRegionId" | "movementId" | "requisitionId" | "openedAt"
>;

export function insertMany(db: Executor, items: readonly NewPaperwork[]): Promise<PaperworkRow[]> {
  if (items.length === 0) return Promise.resolve([]);
  return db
    .insert(emergencyPaperwork)
    .values([...items])
    .returning();
}

export async function lock(db: Executor, key: CountyKey): Promise<PaperworkRow | null> {
  const [row] = await db
    .select()
    .from(emergencyPaperwork)
    .where(inKeys(emergencyPaperwork.countyId, emergencyPaperwork.id, [key]))
    .for("update");
  return row ?? null;
}

export async function resolve(
  db: Executor,
  key: CountyKey,
  by: { status: Exclude<PaperworkStatus, "OPEN">; resolvedBy: number; resolvedAt: Date; note: string },
): Promise<PaperworkRow> {
  const [row] = await db
    .update(emergencyPaperwork)
    .set(by)
    .where(inKeys(emergencyPaperwork.countyId, emergencyPaperwork.id, [key]))
    .returning();
  return row!;
}
