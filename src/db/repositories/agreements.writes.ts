import { and, eq } from "drizzle-orm";
import type { Executor } from "../client.js";
import { type CountyKey, inKeys } from "../keys.js";
import type { AgreementLineRow, AgreementRow } from "./agreements.js";
import { agreementLines, agreements } from "../schema/index.js";
import type { Quantity } from "../../domain/shared/quantity.js";

export type NewAgreement = Omit<
  typeof agreements.$inferInsert,
  "id" | "createdAt" | "endedAt" | "endedReason"
>;

export type AgreementPatch = Partial<
  Pick<
    AgreementRow,
    "supplier" | "contact" | "contractNo" | "validFrom" | "validUntil" | "leadHours" | "depotId"
  >
>;

export async function insert(db: Executor, a: NewAgreement): Promise<AgreementRow> {
  const [row] = await db.insert(agreements).values(a).returning();
  return row!;
}

export async function replaceLines(
  db: Executor,
  key: CountyKey,
  lines: readonly { itemId: number; quantity: Quantity }[],
): Promise<AgreementLineRow[]> {
  await db
    .delete(agreementLines)
    .where(and(eq(agreementLines.countyId, key.countyId), eq(agreementLines.agreementId, key.id)));
  if (lines.length === 0) return [];
  return db
    .insert(agreementLines)
    .values(lines.map((l) => ({ countyId: key.countyId, agreementId: key.id, ...l })))
    .returning();
}

export async function lock(db: Executor, key: CountyKey): Promise<AgreementRow | null> {
  const [row] = await db
    .select()
    .from(agreements)
    .where(inKeys(agreements.countyId, agreements.id, [key]))
    .for("update");
  return row ?? null;
}

export async function update(db: Executor, key: CountyKey, patch: AgreementPatch): Promise<AgreementRow> {
  const [row] = await db
    .update(agreements)
    .set(patch)
    .where(inKeys(agreements.countyId, agreements.id, [key]))
    .returning();
  return row!;
}

export async function end(db: Executor, key: CountyKey, at: Date, reason: string): Promise<AgreementRow> {
  const [row] = await db
    .update(agreements)
    .set({ endedAt: at, endedReason: reason })
    .where(inKeys(agreements.countyId, agreements.id, [key]))
    .returning();
  return row!;
}
