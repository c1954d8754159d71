import { DateTimeResolver } from "graphql-scalars";
import {
  Args,
  Authorized,
  Ctx,
  Field,
  FieldResolver,
  ID,
  InputType,
  Query,
  Resolver,
  Root,
  Arg,
} from "type-graphql";
import { auditLogCounties } from "../../../domain/custody/policy.js";
import * as auditEvents from "../../../db/repositories/auditEvents.js";
import type { Context } from "../../context.js";
import { badInput } from "../../errors.js";
import { expectPlainId } from "../../ids.js";
import { PageArgs, toConnection, toPageRequest } from "../../relay.js";
import { User } from "../viewer/user.type.js";
import { AuditEvent, AuditEventConnection } from "./audit.type.js";

@InputType({ description: "Which administrative changes to list; every field narrows the list." })
export class AuditEventFilter {
  @Field(() => String, {
    nullable: true,
    description: "Only changes to this kind of thing (`Depot`, `User`, …).",
  })
  targetType?: string | null;

  @Field(() => String, {
    nullable: true,
    description: "Only changes to the thing with this number (with targetType).",
  })
  targetKey?: string | null;

  @Field(() => ID, { nullable: true, description: "Only changes made by this user." })
  actorId?: string | null;

  @Field(() => String, {
    nullable: true,
    description: "Only changes made by this mutation, e.g. `grantRole`.",
  })
  action?: string | null;

  @Field(() => DateTimeResolver, { nullable: true, description: "Only changes at or after this instant." })
  from?: Date | null;

  @Field(() => DateTimeResolver, { nullable: true, description: "Only changes before this instant." })
  to?: Date | null;
}

const keyNumber = (key: string): number => {
  if (!/^[1-9]\d{0,15}$/.test(key))
    throw badInput("targetKey is a positive whole number", "filter.targetKey");
  return Number(key);
};

@Resolver(() => AuditEvent)
export class AuditEventResolver {
  @Authorized("AUDITOR", "COUNTY_OFFICER", "COUNTY_ADMIN")
  @Query(() => AuditEventConnection, {
    description:
      "The administration log of the counties the viewer reads as auditor, county officer or administrator, newest first.",
  })
  async auditEvents(
    @Ctx() ctx: Context,
    @Args(() => PageArgs) page: PageArgs,
    @Arg("filter", () => AuditEventFilter, { nullable: true, description: "Narrows the list." })
    filter: AuditEventFilter | null,
  ) {
    const counties = auditLogCounties(ctx.actor!);
    const targetKey = filter?.targetKey ?? undefined;
    const rows = await auditEvents.list(
      ctx.deps.database.db,
      {
        counties,
        targetType: filter?.targetType ?? undefined,
        targetId: targetKey === undefined ? undefined : keyNumber(targetKey),
        actorId: filter?.actorId ? expectPlainId(filter.actorId, "User", "filter.actorId") : undefined,
        action: filter?.action ?? undefined,
        from: filter?.from ?? undefined,
        to: filter?.to ?? undefined,
      },
      toPageRequest(page),
    );
    return toConnection({ rows: rows.rows, hasNextPage: rows.hasNextPage }, AuditEvent.from);
  }

  @FieldResolver(() => User, { description: "Who made the change." })
  async actor(@Root() e: AuditEvent, @Ctx() ctx: Context): Promise<User> {
    return User.from((await ctx.loaders.user.load(e.actorId))!);
  }
}
