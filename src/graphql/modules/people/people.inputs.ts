import { Field, ID, InputType } from "type-graphql";
import type { Role } from "../../../domain/custody/roles.js";
import { RoleEnum } from "../../enums.js";

@InputType({ description: "A new person of the county." })
export class CreateUserInput {
  @Field(() => ID, { description: "The county (a Region of level COUNTY) the person belongs to." })
  countyId!: string;

  @Field(() => String, {
    description: "Sign-in name: 2 to 64 lower-case letters, digits, '.', '_' or '-'; unique.",
  })
  username!: string;

  @Field(() => String, { description: "Name shown on ledger lines and approvals." })
  displayName!: string;

  @Field(() => String, { description: "The office or company they work for." })
  organisation!: string;

  @Field(() => String, { nullable: true, description: "Telephone to reach them on duty." })
  phone?: string | null;

  @Field(() => String, { nullable: true, description: "Retrying with the same key changes nothing twice." })
  idempotencyKey?: string | null;
}

@InputType({ description: "New details of a person; fields left out stay as they are." })
export class UpdateUserInput {
  @Field(() => ID, { description: "The person." })
  userId!: string;

  @Field(() => String, { nullable: true, description: "Name shown on ledger lines and approvals." })
  displayName?: string | null;

  @Field(() => String, { nullable: true, description: "The office or company they work for." })
  organisation?: string | null;

  @Field(() => String, { nullable: true, description: "Telephone to reach them on duty." })
  phone?: string | null;

  @Field(() => String, { nullable: true, description: "Retrying with the same key changes nothing twice." })
  idempotencyKey?: string | null;
}

@InputType({ description: "A person to disable, and why." })
export class DisableUserInput {
  @Field(() => ID, { description: "The person." })
  userId!: string;

  @Field(() => String, { description: "Why, for the administration log." })
  reason!: string;

  @Field(() => String, { nullable: true, description: "Retrying with the same key changes nothing twice." })
  idempotencyKey?: string | null;
}

@InputType({ description: "A person to act on." })
export class UserStepInput {
  @Field(() => ID, { description: "The person." })
  userId!: string;

  @Field(() => String, {
    nullable: true,
    description:
      "Retrying with the same key changes nothing twice. For resetPassword, a retry answers without the password.",
  })
  idempotencyKey?: string | null;
}

@InputType({ description: "A role over a region, for a person of the county." })
export class RoleGrantInput {
  @Field(() => ID, { description: "The person." })
  userId!: string;

  @Field(() => RoleEnum, {
    description:
      "The role: COUNTY_OFFICER, AUDITOR and COUNTY_ADMIN over the county, TOWNSHIP_OFFICER over a township, KEEPER over any region.",
  })
  role!: Role;

  @Field(() => ID, { description: "The region the role covers." })
  regionId!: string;

  @Field(() => String, { nullable: true, description: "Retrying with the same key changes nothing twice." })
  idempotencyKey?: string | null;
}

@InputType({ description: "Which people to list; every field narrows the list." })
export class UserFilter {
  @Field(() => ID, { nullable: true, description: "Only people of this county." })
  countyId?: string | null;

  @Field(() => String, { nullable: true, description: "Part of the username, name or organisation." })
  search?: string | null;

  @Field(() => Boolean, { nullable: true, description: "Include disabled people (default false)." })
  includeDisabled?: boolean | null;
}
