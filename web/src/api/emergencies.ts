import { ref } from "vue";
import type { Label } from "../../../src/domain/shared/labels";
import { graphql } from "../gql";
import type {
  ActiveEmergenciesQuery,
  EmergencyLevel,
  OpenPaperworkQuery,
  PaperworkStatus,
} from "../gql/graphql";
import { gql } from "./client";
import { allPages } from "./pages";

const ACTIVE = graphql(`
  query ActiveEmergencies($after: String) {
    emergencies(activeOnly: true, first: 100, after: $after) {
      nodes {
        id
        number
        level
        reason
        declaredAt
        until
        declaredBy {
          id
          displayName
        }
        region {
          id
          nameZh
          nameEn
          level
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`);

const PAPERWORK = graphql(`
  query OpenPaperwork($status: PaperworkStatus, $overdueOnly: Boolean, $after: String) {
    emergencyPaperwork(status: $status, overdueOnly: $overdueOnly, first: 50, after: $after) {
      nodes {
        id
        status
        overdue
        openedAt
        note
        resolvedBy {
          id
          displayName
        }
        owedBy {
          id
          nameZh
          nameEn
        }
        emergency {
          id
          number
          level
          reason
          region {
            id
            nameZh
            nameEn
          }
        }
        movement {
          id
          quantity
          occurredAt
          recipient
          item {
            id
            nameZh
            nameEn
            unit {
              nameZh
              nameEn
            }
          }
          depot {
            id
            nameZh
            nameEn
          }
        }
        requisition {
          id
          createdAt
          requestingRegion {
            id
            nameZh
            nameEn
          }
          supplyingRegion {
            id
            nameZh
            nameEn
          }
          lines {
            item {
              id
              nameZh
              nameEn
            }
            requestedQuantity
            approvedQuantity
          }
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`);

const DECLARE = graphql(`
  mutation DeclareEmergency($input: DeclareEmergencyInput!) {
    declareEmergency(input: $input) {
      emergency {
        id
        number
      }
      userErrors {
        code
        field
        message
      }
    }
  }
`);

const END = graphql(`
  mutation EndEmergency($input: EndEmergencyInput!) {
    endEmergency(input: $input) {
      emergency {
        id
      }
      userErrors {
        code
        field
        message
      }
    }
  }
`);

const APPROVE = graphql(`
  mutation ApprovePaperwork($input: ResolvePaperworkInput!) {
    approvePaperwork(input: $input) {
      paperwork {
        id
        status
      }
      userErrors {
        code
        field
        message
      }
    }
  }
`);

const CONTEST = graphql(`
  mutation ContestPaperwork($input: ResolvePaperworkInput!) {
    contestPaperwork(input: $input) {
      paperwork {
        id
        status
      }
      userErrors {
        code
        field
        message
      }
    }
  }
`);

const REGION_AND_CHILDREN = graphql(`
  query RegionAndChildren($regionId: ID!) {
    region(id: $regionId) {
      id
      nameZh
      nameEn
      children {
        id
        nameZh
        nameEn
      }
    }
  }
`);

export type ActiveEmergency = ActiveEmergenciesQuery["emergencies"]["nodes"][number];
export type PaperworkItem = OpenPaperworkQuery["emergencyPaperwork"]["nodes"][number];
export interface UserError {
  code: string;
  field: string[];
  message: string;
}

/** Response levels as the county's documents write them: Ⅰ级 the gravest. */
export const LEVEL_LABELS: Record<EmergencyLevel, Label> = {
  LEVEL_I: { zh: "Ⅰ级", en: "Level I" },
  LEVEL_II: { zh: "Ⅱ级", en: "Level II" },
  LEVEL_III: { zh: "Ⅲ级", en: "Level III" },
  LEVEL_IV: { zh: "Ⅳ级", en: "Level IV" },
};

export const PAPERWORK_STATUS_LABELS: Record<PaperworkStatus, Label> = {
  OPEN: { zh: "待补办", en: "Open" },
  APPROVED: { zh: "已补办", en: "Approved" },
  CONTESTED: { zh: "有异议", en: "Contested" },
};

/**
 * Bumped whenever this console declares or ends an emergency: the banner and the keeper's issue form ask the
 * service again rather than guess what changed.
 */
export const emergencyChanges = ref(0);

/** What the banner last showed: a desk whose forms depend on an emergency reloads when this changes. */
export const shownEmergencies = ref<ActiveEmergency[]>([]);

/**
 * Calls `reload` every minute and whenever the page comes back into view (a phone woken up, a tab chosen
 * again); returns what stops it.
 */
export function askAgainNowAndThen(reload: () => void, everyMs = 60_000): () => void {
  const timer = setInterval(reload, everyMs);
  const onVisible = () => document.visibilityState === "visible" && reload();
  document.addEventListener("visibilitychange", onVisible);
  return () => {
    clearInterval(timer);
    document.removeEventListener("visibilitychange", onVisible);
  };
}

/** Every emergency active now that the signed-in person sees. */
export const activeEmergencies = (): Promise<ActiveEmergency[]> =>
  allPages(async (after) => (await gql(ACTIVE, { after })).emergencies);

/** Paperwork the person's offices owe or oversee, in a status, oldest first (as the service lists it). */
export const paperworkList = (
  status: PaperworkStatus | null,
  overdueOnly: boolean,
): Promise<PaperworkItem[]> =>
  allPages(async (after) => (await gql(PAPERWORK, { status, overdueOnly, after })).emergencyPaperwork);

/**
 * A region and those directly below it: what a desk offers to declare an emergency for (a township office its
 * township and villages, the county itself and its townships).
 */
export async function regionAndChildren(
  regionId: string,
): Promise<{ id: string; nameZh: string; nameEn: string }[]> {
  const { region } = await gql(REGION_AND_CHILDREN, { regionId });
  if (!region) return [];
  const { children, ...self } = region;
  return [self, ...children];
}

/** A new key per attempt: see township/requisitions.ts (getRandomValues works on plain http too). */
const key = () =>
  Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, "0")).join("");

export async function declare(input: {
  regionId: string;
  level: EmergencyLevel;
  reason: string;
  until: string | null;
}): Promise<UserError[]> {
  const res = await gql(DECLARE, { input: { ...input, idempotencyKey: key() } });
  if (res.declareEmergency.userErrors.length === 0) emergencyChanges.value += 1;
  return res.declareEmergency.userErrors;
}

export async function end(emergencyId: string, note: string): Promise<UserError[]> {
  const res = await gql(END, { input: { emergencyId, note, idempotencyKey: key() } });
  if (res.endEmergency.userErrors.length === 0) emergencyChanges.value += 1;
  return res.endEmergency.userErrors;
}

/** Approves (补办) or contests (异议) one item of paperwork with the office's note. */
export async function resolvePaperwork(
  how: "approve" | "contest",
  itemId: string,
  note: string,
): Promise<UserError[]> {
  const input = { itemId, note, idempotencyKey: key() };
  return how === "approve"
    ? (await gql(APPROVE, { input })).approvePaperwork.userErrors
    : (await gql(CONTEST, { input })).contestPaperwork.userErrors;
}
