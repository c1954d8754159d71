import { onBeforeUnmount, ref } from "vue";
import { onNotification } from "../../api/live";

/**
 * Where live notifications reach the township desk: each one the office is told of (a new incoming request, an
 * approval, a dispatch, a receipt, a discrepancy; src/domain/requisition/notices.ts) bumps this counter, and every
 * open list and requisition of the desk reloads from the server, so the screen never trusts an event's figures.
 */
export const townshipChanges = ref(0);

/** Called in the desk's setup: reloads on every notification while the desk is on screen. */
export function reloadOnNotifications(): void {
  const stop = onNotification(() => (townshipChanges.value += 1));
  onBeforeUnmount(stop);
}
