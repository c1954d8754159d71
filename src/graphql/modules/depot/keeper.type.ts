import { DateTimeResolver } from "graphql-scalars";
import { Field, ObjectType } from "type-graphql";
import type { HandoverRow, KeeperRow } from "../../../db/repositories/depotKeepers.js";
import { UserError } from "../../errors.js";
import { DecimalScalar } from "../../scalars.js";
import { Item } from "../catalogue/item.type.js";
import { User } from "../viewer/user.type.js";
import { Depot } from "./depot.type.js";

@ObjectType({ description: "One keeper's custody of a depot (专人管理), from its start until it ended." })
export class KeeperAssignment {
  @Field(() => User, { description: "The keeper." })
  user!: User;

  @Field(() => DateTimeResolver, { description: "When custody began." })
  from!: Date;

  @Field(() => DateTimeResolver, { nullable: true, description: "When custody ended; null while current." })
  until!: Date | null;

  static from(row: KeeperRow): KeeperAssignment {
    const { assignedAt, until, ...user } = row;
    return Object.assign(new KeeperAssignment(), { user: User.from(user), from: assignedAt, until });
  }
}

@ObjectType({ description: "One item on hand, by the books, at a handover." })
export class HandoverStockLine {
  itemId!: number;

  @Field(() => Item, { description: "The item." })
  item!: Item;

  @Field(() => DecimalScalar, { description: "On hand at the handover, whatever its condition." })
  onHand!: string;
}

@ObjectType({
  description: "A handover (交接) of a depot from one keeper to another, with the stock at that moment.",
})
export class DepotHandover {
  countyId!: number;
  depotId!: number;
  fromUserId!: number;
  toUserId!: number;
  stockLines!: { itemId: number; onHand: string }[];

  @Field(() => Depot, { description: "The depot handed over." })
  depot!: Depot;

  @Field(() => User, { description: "The keeper who handed over and lost custody." })
  from!: User;

  @Field(() => User, { description: "The keeper who took over." })
  to!: User;

  @Field(() => DateTimeResolver, { description: "When custody passed." })
  at!: Date;

  @Field(() => String, { description: "What the two keepers noted at the handover." })
  note!: string;

  @Field(() => [HandoverStockLine], { description: "Stock on hand per item at that moment, by the books." })
  stock!: HandoverStockLine[];

  static from(row: HandoverRow): DepotHandover {
    return Object.assign(new DepotHandover(), {
      countyId: row.countyId,
      depotId: row.depotId,
      fromUserId: row.fromUserId,
      toUserId: row.toUserId,
      at: row.at,
      note: row.note,
      stockLines: row.stock,
    });
  }
}

@ObjectType({ description: "The result of a handover." })
export class HandOverPayload {
  @Field(() => DepotHandover, { nullable: true, description: "The handover as recorded; null when refused." })
  handover!: DepotHandover | null;

  @Field(() => [UserError], { description: "Why it was refused; empty on success." })
  userErrors!: UserError[];
}
