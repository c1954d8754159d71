import {
  Arg,
  Authorized,
  Ctx,
  Field,
  FieldResolver,
  Mutation,
  ObjectType,
  Resolver,
  Root,
} from "type-graphql";
import { issueStock } from "../../../app/stock/issueStock.js";
import { setLotCondition } from "../../../app/stock/lotCondition.js";
import { receiveStock } from "../../../app/stock/receiveStock.js";
import type { StockChange } from "../../../app/stock/result.js";
import { reverseMovement } from "../../../app/stock/reverseMovement.js";
import { startStockTake, submitStockTake } from "../../../app/stock/stockTake.js";
import { recordTestRun } from "../../../app/stock/testRun.js";
import { confirmWriteOff, writeOffStock, type WriteOffResult } from "../../../app/stock/writeOff.js";
import type { Context } from "../../context.js";
import { UserError } from "../../errors.js";
import { expectCountyKey, expectIdIn, expectPlainId } from "../../ids.js";
import { payload } from "../../payload.js";
import { Item } from "../catalogue/item.type.js";
import { Depot, StockLevel } from "../depot/depot.type.js";
import { AS_OF_DESCRIPTION, asOfArg } from "../../asOf.js";
import { Lot } from "./lot.type.js";
import { Movement } from "./movement.type.js";
import {
  ConfirmWriteOffInput,
  IssueStockInput,
  ReceiveStockInput,
  RecordTestRunInput,
  ReverseMovementInput,
  SetLotConditionInput,
  StartStockTakeInput,
  SubmitStockTakeInput,
  WriteOffStockInput,
} from "./stock.inputs.js";
import { StockTake, WriteOffRequest } from "./stockTake.type.js";
import { TestRun } from "./testRun.type.js";

const CUSTODIANS = ["KEEPER", "TOWNSHIP_OFFICER", "COUNTY_OFFICER"] as const;

@ObjectType({
  description: "Ledger lines written and the lots as they stand after them, or why nothing was.",
})
export class StockChangePayload {
  @Field(() => [Movement], { description: "Ledger lines written; empty when refused." })
  movements!: Movement[];

  @Field(() => [Lot], { description: "Lots touched, as they stand now." })
  lots!: Lot[];

  @Field(() => [UserError], { description: "Why the command was refused; empty on success." })
  userErrors!: UserError[];
}

@ObjectType({ description: "A write-off: written now, or waiting for a second person." })
export class WriteOffPayload extends StockChangePayload {
  @Field(() => WriteOffRequest, {
    nullable: true,
    description: "The request, when confirmation is needed or given.",
  })
  request!: WriteOffRequest | null;
}

@ObjectType({ description: "The lot after its condition changed." })
export class SetLotConditionPayload {
  @Field(() => Lot, { nullable: true, description: "The lot; null when refused." })
  lot!: Lot | null;

  @Field(() => [UserError], { description: "Why the change was refused; empty on success." })
  userErrors!: UserError[];
}

@ObjectType({ description: "A stock-take opened, or why not." })
export class StartStockTakePayload {
  @Field(() => StockTake, {
    nullable: true,
    description: "The open stock-take with its frozen book quantities.",
  })
  stockTake!: StockTake | null;

  @Field(() => [UserError], { description: "Why it was refused; empty on success." })
  userErrors!: UserError[];
}

@ObjectType({ description: "A submitted stock-take and the adjustment lines it wrote." })
export class SubmitStockTakePayload extends StockChangePayload {
  @Field(() => StockTake, { nullable: true, description: "The stock-take, now submitted." })
  stockTake!: StockTake | null;
}

@ObjectType({ description: "A recorded test run and the unit after it." })
export class RecordTestRunPayload {
  @Field(() => TestRun, { nullable: true, description: "The test run." })
  testRun!: TestRun | null;

  @Field(() => Lot, { nullable: true, description: "The unit; quarantined if the run failed." })
  lot!: Lot | null;

  @Field(() => [UserError], { description: "Why it was refused; empty on success." })
  userErrors!: UserError[];
}

const noChange = { movements: [], lots: [] };
const shapeChange = (r: StockChange) => ({
  movements: r.movements.map(Movement.from),
  lots: r.lots.map(Lot.from),
});
const shapeWriteOff = (r: WriteOffResult) => ({
  ...shapeChange(r),
  request: r.request && WriteOffRequest.from(r.request),
});

@Resolver()
export class StockResolver {
  @Authorized(...CUSTODIANS)
  @Mutation(() => StockChangePayload, {
    description: "Record stock arriving at a depot in the caller's custody, as a RECEIPT line on the ledger.",
  })
  receiveStock(@Arg("input", () => ReceiveStockInput) input: ReceiveStockInput, @Ctx() ctx: Context) {
    return payload(
      () =>
        receiveStock(ctx.deps, ctx.actor!, {
          ...input,
          depot: expectCountyKey(input.depotId, "Depot", "input.depotId"),
          itemId: expectPlainId(input.itemId, "Item", "input.itemId"),
          replacesRotation: input.replacesRotationId
            ? expectCountyKey(input.replacesRotationId, "Rotation", "input.replacesRotationId")
            : null,
        }),
      shapeChange,
      noChange,
    );
  }

  @Authorized(...CUSTODIANS)
  @Mutation(() => StockChangePayload, {
    description:
      "Issue stock for use, from a named lot or first-expiry-first-out; never expired, quarantined, damaged, allocated or reserve-floor stock.",
  })
  issueStock(@Arg("input", () => IssueStockInput) input: IssueStockInput, @Ctx() ctx: Context) {
    const depot = expectCountyKey(input.depotId, "Depot", "input.depotId");
    return payload(
      () =>
        issueStock(ctx.deps, ctx.actor!, {
          ...input,
          depot,
          itemId: expectPlainId(input.itemId, "Item", "input.itemId"),
          lotId: input.lotId ? expectIdIn(depot.countyId, input.lotId, "Lot", "input.lotId") : null,
        }),
      shapeChange,
      noChange,
    );
  }

  @Authorized(...CUSTODIANS)
  @Mutation(() => WriteOffPayload, {
    description:
      "Write off damaged, expired or lost stock; above the threshold it waits for confirmWriteOff.",
  })
  writeOffStock(@Arg("input", () => WriteOffStockInput) input: WriteOffStockInput, @Ctx() ctx: Context) {
    return payload(
      () =>
        writeOffStock(ctx.deps, ctx.actor!, {
          ...input,
          lot: expectCountyKey(input.lotId, "Lot", "input.lotId"),
        }),
      shapeWriteOff,
      { ...noChange, request: null },
    );
  }

  @Authorized(...CUSTODIANS)
  @Mutation(() => WriteOffPayload, {
    description: "A second custodian confirms or rejects a pending write-off.",
  })
  confirmWriteOff(
    @Arg("input", () => ConfirmWriteOffInput) input: ConfirmWriteOffInput,
    @Ctx() ctx: Context,
  ) {
    return payload(
      () =>
        confirmWriteOff(ctx.deps, ctx.actor!, {
          ...input,
          request: expectCountyKey(input.requestId, "WriteOffRequest", "input.requestId"),
        }),
      shapeWriteOff,
      { ...noChange, request: null },
    );
  }

  @Authorized(...CUSTODIANS)
  @Mutation(() => SetLotConditionPayload, {
    description: "Quarantine a lot, release it, or mark it damaged.",
  })
  setLotCondition(
    @Arg("input", () => SetLotConditionInput) input: SetLotConditionInput,
    @Ctx() ctx: Context,
  ) {
    return payload(
      () =>
        setLotCondition(ctx.deps, ctx.actor!, {
          ...input,
          lot: expectCountyKey(input.lotId, "Lot", "input.lotId"),
        }),
      (lot) => ({ lot: Lot.from(lot) }),
      { lot: null },
    );
  }

  @Authorized(...CUSTODIANS)
  @Mutation(() => StartStockTakePayload, {
    description: "Open a stock-take of the lots holding stock now; movements may go on while counting.",
  })
  startStockTake(@Arg("input", () => StartStockTakeInput) input: StartStockTakeInput, @Ctx() ctx: Context) {
    return payload(
      () =>
        startStockTake(ctx.deps, ctx.actor!, {
          ...input,
          depot: expectCountyKey(input.depotId, "Depot", "input.depotId"),
        }),
      (take) => ({ stockTake: StockTake.from(take) }),
      { stockTake: null },
    );
  }

  @Authorized(...CUSTODIANS)
  @Mutation(() => SubmitStockTakePayload, {
    description:
      "Submit the counts; each difference from the lot's book quantity at the instant it was counted becomes an ADJUSTMENT line dated then.",
  })
  submitStockTake(
    @Arg("input", () => SubmitStockTakeInput) input: SubmitStockTakeInput,
    @Ctx() ctx: Context,
  ) {
    return payload(
      () => {
        const stockTake = expectCountyKey(input.stockTakeId, "StockTake", "input.stockTakeId");
        return submitStockTake(ctx.deps, ctx.actor!, {
          ...input,
          stockTake,
          counts: input.counts.map((c, i) => ({
            lotId: expectIdIn(stockTake.countyId, c.lotId, "Lot", `input.counts.${i}.lotId`),
            countedQuantity: c.countedQuantity,
            countedAt: c.countedAt ?? null,
          })),
        });
      },
      (r) => ({ ...shapeChange(r), stockTake: StockTake.from(r.stockTake) }),
      { ...noChange, stockTake: null },
    );
  }

  @Authorized(...CUSTODIANS)
  @Mutation(() => RecordTestRunPayload, {
    description: "Record a test run or maintenance of a serialised unit; a failed unit is quarantined.",
  })
  recordTestRun(@Arg("input", () => RecordTestRunInput) input: RecordTestRunInput, @Ctx() ctx: Context) {
    return payload(
      () =>
        recordTestRun(ctx.deps, ctx.actor!, {
          ...input,
          lot: expectCountyKey(input.lotId, "Lot", "input.lotId"),
        }),
      (r) => ({ testRun: TestRun.from(r.testRun), lot: Lot.from(r.lot) }),
      { testRun: null, lot: null },
    );
  }

  @Authorized(...CUSTODIANS)
  @Mutation(() => StockChangePayload, {
    description:
      "Correct a mistaken ledger line with a REVERSAL line pointing at it; the original is never changed.",
  })
  reverseMovement(
    @Arg("input", () => ReverseMovementInput) input: ReverseMovementInput,
    @Ctx() ctx: Context,
  ) {
    return payload(
      () =>
        reverseMovement(ctx.deps, ctx.actor!, {
          ...input,
          movement: expectCountyKey(input.movementId, "Movement", "input.movementId"),
        }),
      shapeChange,
      noChange,
    );
  }
}

@Resolver(() => Lot)
export class LotResolver {
  @FieldResolver(() => Depot, {
    nullable: true,
    description:
      "Where the lot is stored; null when that depot is outside the viewer's scope (a lender's lot).",
  })
  async depot(@Root() lot: Lot, @Ctx() ctx: Context): Promise<Depot | null> {
    const row = await ctx.loaders.depot.load({ countyId: lot.countyId, id: lot.depotId });
    return row && Depot.from(row);
  }

  @FieldResolver(() => Item, { description: "What the lot is of." })
  async item(@Root() lot: Lot, @Ctx() ctx: Context): Promise<Item> {
    return Item.from((await ctx.loaders.item.load(lot.itemId))!);
  }

  @FieldResolver(() => StockLevel, {
    nullable: true,
    description:
      "The depot-wide quantities of this lot's item at this lot's depot (in transit towards it included), as on a " +
      "stock page beside each lot; null when that depot is outside the viewer's scope.",
  })
  async stockLevel(
    @Root() lot: Lot,
    @Arg("asOf", () => String, { nullable: true, description: AS_OF_DESCRIPTION }) asOf: string | null,
    @Ctx() ctx: Context,
  ): Promise<StockLevel | null> {
    const day = asOfArg(ctx, asOf);
    const [depot, level] = await Promise.all([
      ctx.loaders.depot.load({ countyId: lot.countyId, id: lot.depotId }),
      ctx.loaders
        .stockLevelOn(day)
        .load({ countyId: lot.countyId, depotId: lot.depotId, itemId: lot.itemId }),
    ]);
    return depot ? StockLevel.from(level) : null;
  }
}
