import { sql } from "drizzle-orm";
import {
  check,
  date,
  foreignKey,
  index,
  integer,
  pgTable,
  primaryKey,
  text,
  unique,
} from "drizzle-orm/pg-core";
import { countyId, id, instant, quantity, ref } from "./columns.js";
import { depots } from "./depots.js";
import { regions } from "./regions.js";
import { items } from "./items.js";

/**
 * Agreement reserves (协议储备合同): a distributor keeps agreed quantities ready and delivers them within the lead
 * hours of a call-up, from `valid_from` to `valid_until` (inclusive). Coverage counts an agreement only on the days
 * it is valid and not ended.
 */
export const agreements = pgTable(
  "agreements",
  {
    countyId: countyId(),
    id: id().notNull(),
    /** The region whose reserve this is (its subtree's coverage counts it). */
    regionId: ref("region_id").notNull(),
    supplier: text("supplier").notNull(),
    contact: text("contact").notNull(),
    contractNo: text("contract_no").notNull(),
    validFrom: date("valid_from", { mode: "string" }).notNull(),
    validUntil: date("valid_until", { mode: "string" }).notNull(),
    leadHours: integer("lead_hours").notNull(),
    /** The AGREEMENT_RESERVE depot that books the distributor's stock, when there is one. */
    depotId: ref("depot_id"),
    createdAt: instant("created_at").notNull().defaultNow(),
    endedAt: instant("ended_at"),
    endedReason: text("ended_reason"),
  },
  (t) => [
    primaryKey({ columns: [t.countyId, t.id] }),
    unique("agreements_contract_no_key").on(t.countyId, t.contractNo),
    foreignKey({ columns: [t.countyId, t.regionId], foreignColumns: [regions.countyId, regions.id] }),
    foreignKey({ columns: [t.countyId, t.depotId], foreignColumns: [depots.countyId, depots.id] }),
    index("agreements_validity_idx").on(t.countyId, t.validUntil),
    check("agreements_valid_range", sql`${t.validUntil} >= ${t.validFrom}`),
    check("agreements_lead_hours_positive", sql`${t.leadHours} > 0`),
    check("agreements_ended_with_reason", sql`(${t.endedAt} is null) = (${t.endedReason} is null)`),
  ],
);

/** What an agreement obliges the distributor to keep ready, per item. */
export const agreementLines = pgTable(
  "agreement_lines",
  {
    countyId: countyId(),
    agreementId: ref("agreement_id").notNull(),
    itemId: ref("item_id")
      .notNull()
      .references(() => items.id),
    quantity: quantity("quantity").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.countyId, t.agreementId, t.itemId] }),
    foreignKey({
      columns: [t.countyId, t.agreementId],
      foreignColumns: [agreements.countyId, agreements.id],
    }),
    check("agreement_lines_quantity_positive", sql`${t.quantity} > 0`),
  ],
);
