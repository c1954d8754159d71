import { gql } from "../../api/client";
import { graphql } from "../../gql";
import type { AdminDepotsQuery } from "../../gql/graphql";

const DEPOTS = graphql(`
  query AdminDepots($first: Int!, $after: String, $regionId: ID) {
    depots(first: $first, after: $after, regionId: $regionId) {
      nodes {
        id
        code
        nameZh
        nameEn
        kind
        address
        custodianOrg
        latitude
        longitude
        callUpLeadHours
        closedAt
        closedReason
        region {
          id
          nameZh
          nameEn
        }
        keepers {
          from
          user {
            id
            username
            displayName
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

export type AdminDepot = AdminDepotsQuery["depots"]["nodes"][number];

export async function depotsPage(opts: { after?: string | null; regionId?: string; first?: number }) {
  const { depots } = await gql(DEPOTS, {
    first: opts.first ?? 20,
    after: opts.after ?? null,
    regionId: opts.regionId || null,
  });
  return depots;
}
