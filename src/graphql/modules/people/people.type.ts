import { Field, ObjectType } from "type-graphql";
import { UserError } from "../../errors.js";
import { Connection } from "../../relay.js";
import { User } from "../viewer/user.type.js";

@ObjectType({ description: "The person after the change, or why it was refused." })
export class UserPayload {
  @Field(() => User, { nullable: true, description: "The person as they stand now; null when refused." })
  user!: User | null;

  @Field(() => [UserError], { description: "Why it was refused; empty on success. Nothing changed then." })
  userErrors!: UserError[];
}

@ObjectType({ description: "The new person and their one-time password, or why it was refused." })
export class CreateUserPayload {
  @Field(() => User, { nullable: true, description: "The new person; null when refused." })
  user!: User | null;

  @Field(() => String, {
    nullable: true,
    description:
      "One-time password (一次性密码) to hand over; it must be changed at first sign-in. Answered once: null on a retry, and null when people sign in through an identity provider.",
  })
  oneTimePassword!: string | null;

  @Field(() => [UserError], { description: "Why it was refused; empty on success. Nothing changed then." })
  userErrors!: UserError[];
}

@ObjectType({ description: "The person and their new one-time password, or why it was refused." })
export class ResetPasswordPayload {
  @Field(() => User, { nullable: true, description: "The person; null when refused." })
  user!: User | null;

  @Field(() => String, {
    nullable: true,
    description: "The new one-time password; answered once, null on a retry with the same key.",
  })
  oneTimePassword!: string | null;

  @Field(() => [UserError], { description: "Why it was refused; empty on success. Nothing changed then." })
  userErrors!: UserError[];
}

export const UserConnection = Connection(User, "User");
