import { createClient, type Client } from "graphql-ws";
import { reactive, watch } from "vue";
import { graphql } from "../gql";
import type { NotificationsSubscription } from "../gql/graphql";
import { session } from "./session";

const NOTIFICATIONS = graphql(`
  subscription Notifications {
    requisitionNotifications {
      kind
      at
      requisition {
        id
        status
        reason
        requestingRegion {
          nameZh
          nameEn
        }
        supplyingRegion {
          nameZh
          nameEn
        }
      }
    }
  }
`);

export type Notification = NotificationsSubscription["requisitionNotifications"];

const listeners = new Set<(n: Notification) => void>();

/** What the header shows: the latest notifications, newest first, and whether the live connection is up. */
export const live = reactive<{ recent: Notification[]; connected: boolean }>({
  recent: [],
  connected: false,
});

/** Tells `listener` of every notification while the page lives; returns how to stop. A desk reloads its lists. */
export function onNotification(listener: (n: Notification) => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

let client: Client | null = null;
let stop: (() => void) | null = null;

function open(token: string): void {
  const url = `${location.protocol === "https:" ? "wss" : "ws"}://${location.host}/graphql`;
  client = createClient({
    url,
    connectionParams: { authorization: `Bearer ${token}` },
    // a village line drops often: keep trying, further apart each time
    retryAttempts: Infinity,
    shouldRetry: () => true,
    on: {
      connected: () => (live.connected = true),
      closed: () => (live.connected = false),
    },
  });
  stop = client.subscribe<NotificationsSubscription>(
    { query: NOTIFICATIONS.toString() },
    {
      next: ({ data }) => {
        const n = data?.requisitionNotifications;
        if (!n) return;
        live.recent = [n, ...live.recent].slice(0, 20);
        for (const l of listeners) l(n);
      },
      error: () => (live.connected = false),
      complete: () => undefined,
    },
  );
}

function close(): void {
  stop?.();
  void client?.dispose();
  client = null;
  stop = null;
  live.connected = false;
}

/**
 * One live connection per signed-in page. The server judges each event with the token the connection opened
 * with, so when the session renews its access token the connection is opened again with the new one.
 */
export function startLive(): void {
  watch(
    () => session.heldAccessToken,
    (token) => {
      close();
      if (token && !session.mustChangePassword) open(token);
      else live.recent = [];
    },
    { immediate: true },
  );
}
