import { gql } from "../../api/client";
import { graphql } from "../../gql";
import type { AdminAgreementsQuery } from "../../gql/graphql";

// validOn: null asks for every agreement, ended ones too; the service reads an omitted validOn as today
const AGREEMENTS = graphql(`
  query AdminAgreements($first: Int!, $after: String) {
    agreements(first: $first, after: $after, validOn: null) {
      nodes {
        id
        contractNo
        supplier
        contact
        leadHours
        validFrom
        validUntil
        endedAt
        endedReason
        region {
          id
          nameZh
          nameEn
        }
        depot {
          id
          code
          nameZh
          nameEn
        }
        lines {
          quantity
          item {
            id
            nameZh
            nameEn
            unit {
              nameZh
              nameEn
            }
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

export type AdminAgreement = AdminAgreementsQuery["agreements"]["nodes"][number];

export async function agreementsPage(opts: { after?: string | null }) {
  const { agreements } = await gql(AGREEMENTS, { first: 20, after: opts.after ?? null });
  return agreements;
}
