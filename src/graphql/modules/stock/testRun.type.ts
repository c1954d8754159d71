import { DateTimeResolver } from "graphql-scalars";
import { Field, Int, ObjectType, registerEnumType } from "type-graphql";
import { enumObject } from "../../enums.js";

export const TestRunKindEnum = enumObject(["TEST_RUN", "MAINTENANCE"] as const);
registerEnumType(TestRunKindEnum, {
  name: "TestRunKind",
  description: "A test run (试机) or maintenance (维护).",
});

export const TestRunOutcomeEnum = enumObject(["PASSED", "FAILED"] as const);
registerEnumType(TestRunOutcomeEnum, { name: "TestRunOutcome", description: "Whether the unit worked." });

@ObjectType({ description: "A recorded test run or maintenance of a serialised unit." })
export class TestRun {
  @Field(() => TestRunKindEnum, { description: "Test run or maintenance." })
  kind!: "TEST_RUN" | "MAINTENANCE";

  @Field(() => TestRunOutcomeEnum, { description: "Passed or failed." })
  outcome!: "PASSED" | "FAILED";

  @Field(() => String, { description: "Day performed, YYYY-MM-DD." })
  performedOn!: string;

  @Field(() => Int, { nullable: true, description: "Minutes the unit ran." })
  runMinutes!: number | null;

  @Field(() => String, { description: "What was done or found." })
  note!: string;

  @Field(() => DateTimeResolver, { description: "When it was recorded." })
  recordedAt!: Date;

  static from(row: Omit<TestRun, "recordedAt"> & { recordedAt: Date | string }): TestRun {
    return Object.assign(new TestRun(), row, { recordedAt: new Date(row.recordedAt) });
  }
}
