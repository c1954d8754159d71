import { ref } from "vue";

/**
 * Where live notifications reach the township desk. The graphql-ws subscription (built beside this desk, not in
 * it) calls refreshTownship() when it hears of a requisition of the township: a new incoming request, an approval,
 * a dispatch, a receipt, a discrepancy. Every open list and requisition of the desk then reloads from the server,
 * so the screen never trusts the event's own figures.
 */
export const townshipChanges = ref(0);

export function refreshTownship(): void {
  townshipChanges.value += 1;
}
