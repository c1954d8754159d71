import { Field, Float, ID, InputType, Int, ObjectType } from "type-graphql";
import { COVERAGE_STATUSES, type CoverageStatus, NORM_BASES_FOR_SCHEMA } from "./coverage.enums.js";
import type { NormBasis } from "../../../domain/coverage/norm.js";
import type { RegionLevel } from "../../../domain/region/region.js";
import { RegionLevelEnum } from "../../enums.js";
import { UserError } from "../../errors.js";
import { Connection } from "../../relay.js";
import { DecimalScalar } from "../../scalars.js";

export const CoverageStatusEnum = COVERAGE_STATUSES;
export const NormBasisEnum = NORM_BASES_FOR_SCHEMA;

@ObjectType({ description: "A neighbour within reach and what it could lend above its own norm." })
export class NeighbourOffer {
  countyId!: number;
  regionId!: number;

  @Field(() => Int, { description: "Travel minutes over mutual-aid links." })
  travelMinutes!: number;

  @Field(() => DecimalScalar, { description: "Usable stock above the neighbour's own norm." })
  quantity!: string;
}

@ObjectType({
  description: "How well one region's reserve of one item meets its norm, over the region's subtree.",
})
export class CoverageLine {
  countyId!: number;
  regionId!: number;
  itemId!: number;

  @Field(() => DecimalScalar, {
    nullable: true,
    description: "What the norm requires; null when the region has none.",
  })
  required!: string | null;

  @Field(() => DecimalScalar, {
    description: "Everything on hand, whatever its condition (agreement reserves excluded).",
  })
  onHand!: string;

  @Field(() => DecimalScalar, {
    description: "Serviceable, unexpired, not allocated and not in transit: what counts against the norm.",
  })
  usable!: string;

  @Field(() => DecimalScalar, { description: "Of the usable stock, what expires within 30 days." })
  expiringWithin30Days!: string;

  @Field(() => Float, { nullable: true, description: "usable ÷ required, to four decimals." })
  ratio!: number | null;

  @Field(() => CoverageStatusEnum, {
    nullable: true,
    description: "MET ≥ 100%, LOW ≥ 50%, CRITICAL > 0, NONE.",
  })
  status!: CoverageStatus | null;

  @Field(() => DecimalScalar, {
    description:
      "Agreement reserves (协议储备): a distributor's stock on call, reported apart, never counted as usable.",
  })
  agreementCallable!: string;

  @Field(() => Int, {
    nullable: true,
    description: "Hours from a call-up to delivery of the agreement reserve.",
  })
  callUpLeadHours!: number | null;

  @Field(() => [NeighbourOffer], {
    description: "With includeNeighbours: what neighbours within reach could lend.",
  })
  neighbours!: NeighbourOffer[];

  @Field(() => DecimalScalar, { description: "With includeNeighbours: the sum of the neighbours' offers." })
  neighbourLendable!: string;
}

@ObjectType({ description: "A region's coverage against its norms on a day." })
export class CoverageReport {
  countyId!: number;
  regionId!: number;

  @Field(() => String, { description: "The day judged, YYYY-MM-DD." })
  asOf!: string;

  @Field(() => [CoverageLine], { description: "One line per item with a norm for the region." })
  lines!: CoverageLine[];
}

@ObjectType({ description: "One region's row of the coverage map." })
export class CoverageMapRow {
  countyId!: number;
  regionId!: number;
  id!: number;

  @Field(() => [CoverageLine], { description: "One cell per item asked, in the order asked." })
  cells!: CoverageLine[];
}

@ObjectType({ description: "A page of coverage-map rows." })
export class CoverageMapRowConnection extends Connection(CoverageMapRow, "CoverageMapRow") {}

@ObjectType({ description: "A (region, item) below its norm, with the nearest surplus that could fill it." })
export class CoverageGap {
  @Field(() => CoverageLine, { description: "The coverage figures." })
  line!: CoverageLine;

  @Field(() => DecimalScalar, { description: "How much is missing against the norm." })
  shortfall!: string;

  @Field(() => NeighbourOffer, {
    nullable: true,
    description: "The nearest region in the county with stock to spare.",
  })
  nearestSurplus!: NeighbourOffer | null;
}

@ObjectType({ description: "A page of coverage gaps, worst first." })
export class CoverageGapConnection extends Connection(CoverageGap, "CoverageGap") {}

@InputType({ description: "How much of an item a region must hold." })
export class SetReserveNormInput {
  @Field(() => ID, { description: "The county the norm belongs to." })
  countyId!: string;

  @Field(() => ID, { description: "The item." })
  itemId!: string;

  @Field(() => ID, { nullable: true, description: "One region; or give level instead." })
  regionId?: string | null;

  @Field(() => RegionLevelEnum, {
    nullable: true,
    description: "Every region of this level (unless it has its own).",
  })
  level?: RegionLevel | null;

  @Field(() => NormBasisEnum, { description: "Absolute, or per 1,000 residents." })
  basis!: NormBasis;

  @Field(() => DecimalScalar, { description: "The quantity, or the quantity per 1,000 residents." })
  quantity!: string;

  @Field(() => DecimalScalar, {
    nullable: true,
    description:
      "Reserve floor (safety stock) at the region's own depot; only a county-approved emergency dips into it.",
  })
  reserveFloor?: string | null;

  @Field(() => String, { nullable: true, description: "Retry-safe key." })
  idempotencyKey?: string | null;
}

@ObjectType({ description: "A reserve norm (储备定额) as set." })
export class ReserveNorm {
  countyId!: number;
  itemId!: number;
  regionId!: number | null;

  @Field(() => RegionLevelEnum, {
    nullable: true,
    description: "Every region of this level, unless it has its own.",
  })
  level!: RegionLevel | null;

  @Field(() => NormBasisEnum, { description: "Absolute, or per 1,000 residents." })
  basis!: NormBasis;

  @Field(() => DecimalScalar, { description: "The quantity, or per 1,000 residents." })
  quantity!: string;

  @Field(() => DecimalScalar, { description: "Reserve floor at the region's own depot." })
  reserveFloor!: string;
}

@ObjectType({ description: "The norm as set, or why not." })
export class SetReserveNormPayload {
  @Field(() => ReserveNorm, { nullable: true, description: "The norm; null when refused." })
  norm!: ReserveNorm | null;

  @Field(() => [UserError], { description: "Why it was refused; empty on success." })
  userErrors!: UserError[];
}
