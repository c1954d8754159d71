import { DateTimeResolver } from "graphql-scalars";
import { Field, ObjectType } from "type-graphql";
import type { SessionResult } from "../../../app/account/session.js";
import { UserError } from "../../errors.js";
import { User } from "../viewer/user.type.js";

@ObjectType({
  description:
    "A sign-in session (会话): a short-lived access token for the Authorization header and a refresh token (刷新令牌) to get the next one.",
})
export class Session {
  @Field(() => String, { description: "Send as `Authorization: Bearer <accessToken>`; valid for minutes." })
  accessToken!: string;

  @Field(() => DateTimeResolver, { description: "When the access token stops working; refresh before then." })
  accessTokenExpiresAt!: Date;

  @Field(() => String, {
    description:
      "Exchange it with refreshSession for a new session; each works once. Keep it secret: it is stored here only as a hash.",
  })
  refreshToken!: string;

  @Field(() => DateTimeResolver, { description: "When the refresh token expires if it is not used." })
  refreshTokenExpiresAt!: Date;

  @Field(() => Boolean, {
    description: "Whether a one-time password was used: call changePassword before anything else.",
  })
  mustChangePassword!: boolean;

  @Field(() => User, { description: "Who signed in." })
  user!: User;

  static from(r: SessionResult): Session {
    return Object.assign(new Session(), r, { user: User.from(r.user) });
  }
}

@ObjectType({ description: "A new session, or why signing in or refreshing was refused." })
export class SignInPayload {
  @Field(() => Session, { nullable: true, description: "The session; null when refused." })
  session!: Session | null;

  @Field(() => [UserError], { description: "Why it was refused; empty on success. Nothing changed then." })
  userErrors!: UserError[];
}

@ObjectType({ description: "Whether the session ended." })
export class SignOutPayload {
  @Field(() => Boolean, { description: "True when the refresh token's session is now ended." })
  signedOut!: boolean;

  @Field(() => [UserError], { description: "Why it was refused; empty on success." })
  userErrors!: UserError[];
}

@ObjectType({ description: "The user after the password change, or why it was refused." })
export class ChangePasswordPayload {
  @Field(() => User, { nullable: true, description: "The signed-in user; null when refused." })
  user!: User | null;

  @Field(() => [UserError], { description: "Why it was refused; empty on success. Nothing changed then." })
  userErrors!: UserError[];
}
