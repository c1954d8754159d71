import { Authorized, Ctx, Resolver, Root, Subscription } from "type-graphql";
import type { RequisitionNotice } from "../../../app/events.js";
import { isToldOf, sideOf } from "../../../domain/requisition/notices.js";
import type { Context } from "../../context.js";
import { NOTICES } from "../../live.js";
import { RequisitionNotification } from "./notification.type.js";
import { Requisition } from "./requisition.type.js";

const keyOf = (n: RequisitionNotice) => ({ countyId: n.countyId, id: n.requisitionId });

/**
 * Whether the subscriber hears a notice: the same read scope as the queries (custody), worked out afresh for each
 * event from the token and the viewer as they are now, and only the kinds told to their side
 * (src/domain/requisition/notices.ts). A requisition the subscriber may not read is dropped, as one that does not
 * exist; so is every event once the token expired or the user was disabled.
 */
async function hears(ctx: Context, notice: RequisitionNotice): Promise<boolean> {
  try {
    if (ctx.renew && !(await ctx.renew())) return false;
    if (!ctx.scope.counties.includes(notice.countyId) || !ctx.actor) return false;
    const row = await ctx.loaders.requisition.load(keyOf(notice));
    return row !== null && isToldOf(notice.kind, sideOf(ctx.actor.grants, row));
  } catch (err) {
    // the subscription outlives a database hiccup; this one event is lost, and said so
    ctx.logger.warn({ err, notice }, "a live notice could not be checked and was dropped");
    return false;
  }
}

@Resolver(() => RequisitionNotification)
export class RequisitionNotificationResolver {
  @Authorized()
  @Subscription(() => RequisitionNotification, {
    description:
      "Live notifications (over WebSocket, graphql-ws, at /graphql) about the requisitions the viewer may read: " +
      "submitted, approved, rejected, dispatched, received, a discrepancy recorded, a loan overdue.",
    topics: NOTICES,
    topicId: ({ context }) => (context as Context).liveTopic,
    filter: ({ payload, context }) => hears(context as Context, payload as RequisitionNotice),
  })
  async requisitionNotifications(
    @Root() notice: RequisitionNotice,
    @Ctx() ctx: Context,
  ): Promise<RequisitionNotification> {
    // the filter loaded it through these loaders a moment ago: answered from their cache
    const row = await ctx.loaders.requisition.load(keyOf(notice));
    return Object.assign(new RequisitionNotification(), {
      kind: notice.kind,
      at: new Date(notice.at),
      requisition: Requisition.from(row!),
    });
  }
}
