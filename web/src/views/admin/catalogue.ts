import { gql } from "../../api/client";
import { graphql } from "../../gql";
import type { AdminItemsQuery } from "../../gql/graphql";

const ITEMS = graphql(`
  query AdminItems($first: Int!, $after: String) {
    items(first: $first, after: $after) {
      nodes {
        id
        code
        nameZh
        nameEn
        category
        classificationCode
        description
        trackingMode
        returnable
        shelfLifeDays
        rotationLeadDays
        testRunIntervalDays
        retiredAt
        retiredReason
        unit {
          code
          nameZh
          nameEn
          scale
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`);

export type AdminItem = AdminItemsQuery["items"]["nodes"][number];
export type AdminUnit = AdminItem["unit"];

export async function itemsPage(opts: { after?: string | null; first?: number }) {
  const { items } = await gql(ITEMS, { first: opts.first ?? 20, after: opts.after ?? null });
  return items;
}
