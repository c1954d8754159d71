import { DateTimeResolver } from "graphql-scalars";
import { Field, ObjectType } from "type-graphql";
import type { UserRow } from "../../../db/repositories/users.js";
import type { Role } from "../../../domain/custody/roles.js";
import { RoleEnum } from "../../enums.js";
import { toGlobalId } from "../../ids.js";
import { Node } from "../node/node.type.js";
import { Region } from "../region/region.type.js";

@ObjectType({
  implements: Node,
  description: "A person who signs in and is accountable for what they record.",
})
export class User extends Node {
  userId!: number;

  @Field(() => String, { description: "Sign-in name; the `sub` of their tokens." })
  username!: string;

  @Field(() => String, { description: "Name shown on ledger lines and approvals." })
  displayName!: string;

  @Field(() => String, { description: "The office or company they work for." })
  organisation!: string;

  @Field(() => String, { description: "Telephone to reach them on duty; empty when not given." })
  phone!: string;

  @Field(() => Boolean, {
    description: "Whether they are disabled: they cannot sign in, and their tokens are refused.",
  })
  disabled!: boolean;

  @Field(() => DateTimeResolver, {
    nullable: true,
    description: "When they were disabled; null while active.",
  })
  disabledAt!: Date | null;

  @Field(() => Boolean, {
    description:
      "Whether they still sign in with a one-time password (一次性密码): only changePassword, signOut and me are allowed until they choose their own.",
  })
  mustChangePassword!: boolean;

  homeCountyId!: number | null;

  static from(row: UserRow): User {
    // the password hash stays in the repository's row, never on an object the schema could reach
    const { id, passwordHash: _hash, ...rest } = row;
    return Object.assign(new User(), rest, {
      userId: id,
      id: toGlobalId("User", id),
      disabled: row.disabledAt !== null,
    });
  }
}

@ObjectType({ description: "A role held over a region: the scope of what its holder may read and change." })
export class RoleGrant {
  @Field(() => RoleEnum, { description: "The role." })
  role!: Role;

  @Field(() => Region, { description: "The region the role covers, with everything below it." })
  region!: Region;
}
