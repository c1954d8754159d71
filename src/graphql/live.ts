import { setMaxListeners } from "node:events";
import { createPubSub, type PubSubEventTarget } from "@graphql-yoga/subscription";
import type { RequisitionNotice } from "../app/events.js";

/** The pubsub routing key of requisition notices. */
export const NOTICES = "REQUISITION_NOTICES";

type Notices = { [NOTICES]: [topic: string, notice: RequisitionNotice] };

// every open subscription is one listener on the target; Node would warn from the eleventh on as if it leaked
const target = new EventTarget();
setMaxListeners(0, target);

/**
 * The schema is built once per process (getSchema), so its pubsub is too. Each HTTP server publishes what its own
 * database's LISTEN hears under a topic id of its own, and its subscriptions listen under that id: two services in
 * one process (tests) never hear each other's database.
 */
export const livePubSub = createPubSub<Notices>({ eventTarget: target as PubSubEventTarget<Notices> });
