import { DateTimeResolver } from "graphql-scalars";
import { Field, Int, ObjectType } from "type-graphql";
import type { ItemRow, UnitRow } from "../../../db/repositories/catalogue.js";
import type { ItemCategory, TrackingMode } from "../../../domain/catalogue/item.js";
import { ItemCategoryEnum, TrackingModeEnum } from "../../enums.js";
import { toGlobalId } from "../../ids.js";
import { Connection } from "../../relay.js";
import { Node } from "../node/node.type.js";

@ObjectType({ description: "A unit of measure (计量单位)." })
export class Unit {
  @Field(() => String, { description: "Stable code, e.g. `t` or `piece`." })
  code!: string;

  @Field(() => String, { description: "Chinese name, e.g. 吨." })
  nameZh!: string;

  @Field(() => String, { description: "English name, e.g. tonne." })
  nameEn!: string;

  @Field(() => Int, { description: "Decimals quantities in this unit may have: 0 for pieces, 3 for tonnes." })
  scale!: number;

  static from(row: UnitRow): Unit {
    return Object.assign(new Unit(), row);
  }
}

@ObjectType({
  implements: Node,
  description: "A catalogue entry (物资品目): what is stored, in which unit, and how it ages.",
})
export class Item extends Node {
  itemId!: number;
  unitCode!: string;

  @Field(() => String, { description: "Stable code, e.g. `WOVEN_BAG`." })
  code!: string;

  @Field(() => String, { description: "Chinese name, e.g. 编织袋." })
  nameZh!: string;

  @Field(() => String, { description: "English name." })
  nameEn!: string;

  @Field(() => String, { description: "What the item is and how it is used." })
  description!: string;

  @Field(() => ItemCategoryEnum, { description: "What the item is for." })
  category!: ItemCategory;

  @Field(() => TrackingModeEnum, { description: "Bulk, lots with expiry, or serialised units." })
  trackingMode!: TrackingMode;

  @Field(() => Int, {
    nullable: true,
    description: "Days from receipt to expiry when a lot has no printed expiry.",
  })
  shelfLifeDays!: number | null;

  @Field(() => Int, {
    nullable: true,
    description: "Days before expiry when a lot should be rotated out (定期更换).",
  })
  rotationLeadDays!: number | null;

  @Field(() => Int, {
    nullable: true,
    description: "Days between required test runs of serialised equipment.",
  })
  testRunIntervalDays!: number | null;

  @Field(() => Boolean, {
    description: "Lent equipment that comes back (generators, pumps), unlike consumables.",
  })
  returnable!: boolean;

  @Field(() => String, {
    nullable: true,
    description:
      "GB/T 38565-2020 classification code (应急物资分类代码), 7 digits; the first is the major class: 1 basic living support, 2 emergency equipment, 3 engineering materials and machining equipment.",
  })
  classificationCode!: string | null;

  @Field(() => DateTimeResolver, {
    nullable: true,
    description: "When the item was retired; a retired item takes no receipts, its stock and history stay.",
  })
  retiredAt!: Date | null;

  @Field(() => String, { nullable: true, description: "Why the item was retired." })
  retiredReason!: string | null;

  static from(row: ItemRow): Item {
    const { id, ...rest } = row;
    return Object.assign(new Item(), rest, { itemId: id, id: toGlobalId("Item", id) });
  }
}

@ObjectType({ description: "A page of catalogue items." })
export class ItemConnection extends Connection(Item, "Item") {}
