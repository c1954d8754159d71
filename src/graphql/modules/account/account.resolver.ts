import { Arg, Authorized, Ctx, Mutation, Resolver } from "type-graphql";
import { changePassword, refreshSession, signIn, signOut } from "../../../app/account/session.js";
import type { Context } from "../../context.js";
import { payload } from "../../payload.js";
import { User } from "../viewer/user.type.js";
import { ChangePasswordInput, RefreshTokenInput, SignInInput } from "./account.inputs.js";
import { ChangePasswordPayload, Session, SignInPayload, SignOutPayload } from "./session.type.js";

const session = (r: Parameters<typeof Session.from>[0]) => ({ session: Session.from(r) });

/** No idempotency keys here: tokens are never stored, so a retried sign-in simply opens another session. */
@Resolver()
export class AccountResolver {
  @Mutation(() => SignInPayload, {
    description:
      "Sign in with a password. Wrong username or password are one answer (INVALID_CREDENTIALS); five failures within a minute from one address lock that username there for 15 minutes (TOO_MANY_ATTEMPTS).",
  })
  signIn(@Arg("input", () => SignInInput) input: SignInInput, @Ctx() ctx: Context) {
    return payload(() => signIn(ctx.deps, ctx.tokens, input, ctx.clientAddress), session, { session: null });
  }

  @Mutation(() => SignInPayload, {
    description:
      "Exchange a refresh token for a new session. A token already exchanged ends its whole chain of sessions (SESSION_EXPIRED): someone copied it.",
  })
  refreshSession(@Arg("input", () => RefreshTokenInput) input: RefreshTokenInput, @Ctx() ctx: Context) {
    return payload(() => refreshSession(ctx.deps, ctx.tokens, input), session, { session: null });
  }

  @Mutation(() => SignOutPayload, {
    description: "End the session of a refresh token; its access tokens run out within their minutes.",
  })
  signOut(@Arg("input", () => RefreshTokenInput) input: RefreshTokenInput, @Ctx() ctx: Context) {
    return payload(
      () => signOut(ctx.deps, input),
      (signedOut) => ({ signedOut }),
      { signedOut: false },
    );
  }

  @Authorized()
  @Mutation(() => ChangePasswordPayload, {
    description:
      "Choose a new password (10 to 256 characters). Every other session of the user ends; this one goes on.",
  })
  changePassword(@Arg("input", () => ChangePasswordInput) input: ChangePasswordInput, @Ctx() ctx: Context) {
    return payload(
      () =>
        changePassword(
          ctx.deps,
          { user: ctx.user!, sessionId: ctx.sessionId, clientAddress: ctx.clientAddress },
          input,
        ),
      (row) => ({ user: User.from(row) }),
      { user: null },
    );
  }
}
