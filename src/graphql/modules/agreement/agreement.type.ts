import { DateTimeResolver } from "graphql-scalars";
import { Field, ID, InputType, Int, ObjectType } from "type-graphql";
import type { AgreementLineRow, AgreementRow } from "../../../db/repositories/agreements.js";
import { UserError } from "../../errors.js";
import { toGlobalId } from "../../ids.js";
import { Connection } from "../../relay.js";
import { decimal, DecimalScalar } from "../../scalars.js";
import { IDEMPOTENCY } from "../admin/places.inputs.js";
import { Node } from "../node/node.type.js";

@ObjectType({
  implements: Node,
  description:
    "An agreement reserve (协议储备合同): a distributor keeps agreed quantities ready and delivers within the lead hours of a call-up, while the contract is valid.",
})
export class Agreement extends Node {
  countyId!: number;
  agreementId!: number;
  regionId!: number;
  depotId!: number | null;

  @Field(() => String, { description: "The distributor under contract." })
  supplier!: string;

  @Field(() => String, { description: "Who to call at the distributor, and how." })
  contact!: string;

  @Field(() => String, { description: "Contract number, unique in the county." })
  contractNo!: string;

  @Field(() => String, { description: "First day the agreement is in force, YYYY-MM-DD." })
  validFrom!: string;

  @Field(() => String, { description: "Last day the agreement is in force, YYYY-MM-DD." })
  validUntil!: string;

  @Field(() => Int, { description: "Hours from a call-up until delivery." })
  leadHours!: number;

  @Field(() => DateTimeResolver, { nullable: true, description: "When it was ended early; null otherwise." })
  endedAt!: Date | null;

  @Field(() => String, { nullable: true, description: "Why it was ended early." })
  endedReason!: string | null;

  static from(row: AgreementRow): Agreement {
    const { id, ...rest } = row;
    return Object.assign(new Agreement(), rest, {
      agreementId: id,
      id: toGlobalId("Agreement", { countyId: row.countyId, id }),
    });
  }
}

@ObjectType({ description: "What an agreement obliges the distributor to keep ready of one item." })
export class AgreementLine {
  itemId!: number;

  @Field(() => DecimalScalar, { description: "The agreed quantity, in the item's unit." })
  quantity!: string;

  static from(row: AgreementLineRow): AgreementLine {
    return Object.assign(new AgreementLine(), { itemId: row.itemId, quantity: decimal(row.quantity) });
  }
}

@ObjectType({ description: "A page of agreements." })
export class AgreementConnection extends Connection(Agreement, "Agreement") {}

@InputType({ description: "One agreed item and its quantity." })
export class AgreementLineInput {
  @Field(() => ID, { description: "The item." })
  itemId!: string;

  @Field(() => DecimalScalar, {
    description: "The quantity the distributor keeps ready, in the item's unit.",
  })
  quantity!: string;
}

@InputType({ description: "A new agreement reserve contract." })
export class CreateAgreementInput {
  @Field(() => ID, { description: "The region whose reserve it is; its subtree's coverage counts it." })
  regionId!: string;

  @Field(() => String, { description: "The distributor." })
  supplier!: string;

  @Field(() => String, { description: "Who to call at the distributor." })
  contact!: string;

  @Field(() => String, { description: "Contract number, unique in the county." })
  contractNo!: string;

  @Field(() => String, { description: "First day in force, YYYY-MM-DD." })
  validFrom!: string;

  @Field(() => String, { description: "Last day in force, YYYY-MM-DD." })
  validUntil!: string;

  @Field(() => Int, { description: "Hours from a call-up until delivery." })
  leadHours!: number;

  @Field(() => [AgreementLineInput], { description: "The agreed items, each once." })
  lines!: AgreementLineInput[];

  @Field(() => ID, {
    nullable: true,
    description: "The AGREEMENT_RESERVE depot that books the distributor's stock.",
  })
  depotId?: string | null;

  @Field(() => String, { nullable: true, description: IDEMPOTENCY })
  idempotencyKey?: string | null;
}

@InputType({
  description: "Changes to an agreement in force; omitted fields stay, `lines` replace all lines.",
})
export class UpdateAgreementInput {
  @Field(() => ID, { description: "The agreement." })
  agreementId!: string;

  @Field(() => String, { nullable: true, description: "The distributor." })
  supplier?: string | null;

  @Field(() => String, { nullable: true, description: "Who to call at the distributor." })
  contact?: string | null;

  @Field(() => String, { nullable: true, description: "Contract number." })
  contractNo?: string | null;

  @Field(() => String, { nullable: true, description: "First day in force, YYYY-MM-DD." })
  validFrom?: string | null;

  @Field(() => String, { nullable: true, description: "Last day in force, YYYY-MM-DD (a renewal moves it)." })
  validUntil?: string | null;

  @Field(() => Int, { nullable: true, description: "Hours from a call-up until delivery." })
  leadHours?: number | null;

  @Field(() => [AgreementLineInput], {
    nullable: true,
    description: "The agreed items, replacing all lines.",
  })
  lines?: AgreementLineInput[] | null;

  @Field(() => ID, { nullable: true, description: "The AGREEMENT_RESERVE depot; null detaches it." })
  depotId?: string | null;

  @Field(() => String, { nullable: true, description: IDEMPOTENCY })
  idempotencyKey?: string | null;
}

@InputType({ description: "Ending an agreement early." })
export class EndAgreementInput {
  @Field(() => ID, { description: "The agreement." })
  agreementId!: string;

  @Field(() => String, { description: "Why it ends." })
  reason!: string;

  @Field(() => String, { nullable: true, description: IDEMPOTENCY })
  idempotencyKey?: string | null;
}

@ObjectType({ description: "The result of an agreement change." })
export class AgreementPayload {
  @Field(() => Agreement, { nullable: true, description: "The agreement as now stored; null when refused." })
  agreement!: Agreement | null;

  @Field(() => [UserError], { description: "Why it was refused; empty on success." })
  userErrors!: UserError[];
}
