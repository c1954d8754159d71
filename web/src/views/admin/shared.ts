import type { Page } from "../../api/pages";
import { computed, type Ref, ref } from "vue";
import { ApiError } from "../../api/client";
import { refusal, t } from "../../i18n";

export interface UserErrorLike {
  code: string;
  field: string[];
  message: string;
}

/**
 * The refusals of the form's last attempt: one that names a field shows next to it (`at`), the rest above the
 * buttons (`general`). A failure to reach the server is said as one line too.
 */
export function useRefusals(fields: readonly string[]) {
  const errors: Ref<UserErrorLike[]> = ref([]);
  const named = (e: UserErrorLike) => e.field.find((f) => fields.includes(f)) ?? null;
  const at = (field: string): string | null => {
    const e = errors.value.find((x) => named(x) === field);
    return e ? refusal(e) : null;
  };
  const general = computed(() =>
    errors.value
      .filter((e) => named(e) === null)
      .map(refusal)
      .join("；"),
  );
  return {
    errors,
    at,
    general,
    clear: () => (errors.value = []),
    /** Runs a mutation: its payload when accepted (no userErrors), null with the refusals kept otherwise. */
    async run<P extends { userErrors: UserErrorLike[] }>(send: () => Promise<P>): Promise<P | null> {
      errors.value = [];
      try {
        const payload = await send();
        errors.value = payload.userErrors;
        return payload.userErrors.length === 0 ? payload : null;
      } catch (e) {
        errors.value = [{ code: "NETWORK", field: [], message: failure(e) }];
        return null;
      }
    },
  };
}

/** One line for an error thrown by the client. */
export const failure = (e: unknown): string =>
  e instanceof ApiError && e.code === "NETWORK"
    ? t({ zh: "连不上服务器，请检查网络", en: "The server cannot be reached" })
    : e instanceof Error
      ? e.message
      : String(e);

/** A retry-safe key per attempt: a double click or a resend of one form writes once. */
export const newKey = (): string => crypto.randomUUID();

/** Empty text as null, for optional inputs. */

export const optional = (s: string): string | null => (s.trim() === "" ? null : s.trim());
export const optionalInt = (s: string | number | null | undefined): number | null =>
  s === null || s === undefined || String(s).trim() === "" ? null : Number(s);

/** A list shown a page at a time: next/previous by cursor, the cursors kept to go back. */
export function usePager<N>(fetch: (after: string | null) => Promise<Page<N>>) {
  const nodes: Ref<N[]> = ref([]);
  const cursors = ref<(string | null)[]>([null]);
  const hasNext = ref(false);
  const loading = ref(false);
  const error = ref<string | null>(null);
  const at = async (index: number) => {
    loading.value = true;
    try {
      const page = await fetch(cursors.value[index] ?? null);
      nodes.value = page.nodes;
      hasNext.value = page.pageInfo.hasNextPage;
      cursors.value = cursors.value.slice(0, index + 1);
      if (page.pageInfo.hasNextPage) cursors.value.push(page.pageInfo.endCursor ?? null);
      error.value = null;
    } catch (e) {
      error.value = failure(e);
    } finally {
      loading.value = false;
    }
  };
  const current = computed(() => cursors.value.length - (hasNext.value ? 2 : 1));
  return {
    nodes,
    hasNext,
    loading,
    error,
    page: computed(() => current.value + 1),
    hasPrevious: computed(() => current.value > 0),
    first: () => at(0),
    reload: () => at(current.value),
    next: () => at(current.value + 1),
    previous: () => at(current.value - 1),
  };
}

/** Calls `fn` once the person has stopped typing for `ms`. */
export function debounced(fn: () => void, ms = 250): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  return () => {
    clearTimeout(timer);
    timer = setTimeout(fn, ms);
  };
}

/** The file a file input holds after a change. */
export const chosenFile = (e: Event): File | null => (e.target as HTMLInputElement).files?.[0] ?? null;
export type ChosenFile = ReturnType<typeof chosenFile>;
