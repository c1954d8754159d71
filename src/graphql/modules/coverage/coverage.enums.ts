import { registerEnumType } from "type-graphql";
import { COVERAGE_STATUSES as STATUSES, type CoverageStatus } from "../../../domain/coverage/coverage.js";
import { NORM_BASES } from "../../../domain/coverage/norm.js";
import { enumObject } from "../../enums.js";

export type { CoverageStatus };

export const COVERAGE_STATUSES = enumObject(STATUSES);
registerEnumType(COVERAGE_STATUSES, {
  name: "CoverageStatus",
  description:
    "MET at 100% of the norm or more, LOW from 50%, CRITICAL above nothing, NONE when nothing is usable.",
});

export const NORM_BASES_FOR_SCHEMA = enumObject(NORM_BASES);
registerEnumType(NORM_BASES_FOR_SCHEMA, {
  name: "NormBasis",
  description: "A fixed quantity, or a quantity per 1,000 residents.",
});
