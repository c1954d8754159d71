import { Field, InputType } from "type-graphql";

@InputType({ description: "A username and password." })
export class SignInInput {
  @Field(() => String, { description: "The sign-in name." })
  username!: string;

  @Field(() => String, { description: "The password, or the one-time password an administrator gave." })
  password!: string;
}

@InputType({ description: "A refresh token from signIn or an earlier refreshSession." })
export class RefreshTokenInput {
  @Field(() => String, { description: "The refresh token; it works once." })
  refreshToken!: string;
}

@InputType({ description: "The current password and the new one." })
export class ChangePasswordInput {
  @Field(() => String, { description: "The password (or one-time password) signed in with." })
  currentPassword!: string;

  @Field(() => String, { description: "The new password: 10 to 256 characters." })
  newPassword!: string;
}
