import { sql } from "drizzle-orm";
import { boolean, check, foreignKey, index, pgTable, primaryKey, text } from "drizzle-orm/pg-core";
import { countyId, id, instant, quantity, ref } from "./columns.js";
import { depots } from "./depots.js";
import { disposalKind, rotationStatus } from "./enums.js";
import { items } from "./items.js";
import { lots } from "./lots.js";
import { actor } from "./users.js";

/** Stock rotated out before expiry (定期更换), open until a replacement receipt names it. */
export const rotations = pgTable(
  "rotations",
  {
    countyId: countyId(),
    id: id().notNull(),
    lotId: ref("lot_id").notNull(),
    depotId: ref("depot_id").notNull(),
    itemId: ref("item_id")
      .notNull()
      .references(() => items.id),
    quantity: quantity("quantity").notNull(),
    disposal: disposalKind("disposal").notNull(),
    reason: text("reason").notNull(),
    status: rotationStatus("status").notNull().default("OPEN"),
    replacementRequired: boolean("replacement_required").notNull().default(true),
    movementId: ref("movement_id").notNull(),
    replacementLotId: ref("replacement_lot_id"),
    actorId: actor("actor_id"),
    createdAt: instant("created_at").notNull().defaultNow(),
    closedAt: instant("closed_at"),
  },
  (t) => [
    primaryKey({ columns: [t.countyId, t.id] }),
    foreignKey({ columns: [t.countyId, t.lotId], foreignColumns: [lots.countyId, lots.id] }),
    foreignKey({ columns: [t.countyId, t.depotId], foreignColumns: [depots.countyId, depots.id] }),
    index("rotations_status_idx").on(t.countyId, t.status, t.depotId),
    check("rotations_closed_consistently", sql`(${t.status} = 'CLOSED') = (${t.closedAt} is not null)`),
    check("rotations_quantity_positive", sql`${t.quantity} > 0`),
  ],
);
