import { allPages, nextCursor } from "../../api/pages";
import { graphql } from "../../gql";
import type { DepotStockQuery, ReceivableItemsQuery } from "../../gql/graphql";
import { gql } from "../../api/client";

const DEPOT_STOCK = graphql(`
  query DepotStock($depotId: ID!, $after: String) {
    depot(id: $depotId) {
      id
      code
      nameZh
      nameEn
      kind
      region {
        id
        activeEmergencies {
          id
          number
          level
        }
      }
      stock {
        item {
          id
          code
          nameZh
          nameEn
          trackingMode
          testRunIntervalDays
          unit {
            nameZh
            nameEn
            scale
          }
        }
        onHand
        usable
        allocated
        quarantined
        damaged
        expired
        inTransit
        reserveFloor
      }
    }
    lots(depotId: $depotId, first: 100, after: $after) {
      nodes {
        id
        lotCode
        onHand
        allocated
        condition
        expiresOn
        receivedOn
        serialNumber
        lastTestRunOn
        item {
          id
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`);

const ITEMS = graphql(`
  query ReceivableItems($after: String) {
    items(first: 100, after: $after) {
      nodes {
        id
        code
        nameZh
        nameEn
        retiredAt
        trackingMode
        shelfLifeDays
        unit {
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

export type DepotView = NonNullable<DepotStockQuery["depot"]>;

export type LotRow = DepotStockQuery["lots"]["nodes"][number];
export type ReceivableItem = ReceivableItemsQuery["items"]["nodes"][number];

/** A depot's stock per item and every one of its lots, page after page (a depot holds few hundred lots). */
export async function depotStock(depotId: string): Promise<{ depot: DepotView | null; lots: LotRow[] }> {
  const lots: LotRow[] = [];
  let after: string | null = null;
  let depot: DepotView | null = null;
  do {
    const page: DepotStockQuery = await gql(DEPOT_STOCK, { depotId, after });
    depot ??= page.depot ?? null;
    lots.push(...page.lots.nodes);
    after = nextCursor(page.lots);
  } while (after);
  return { depot, lots };
}

/** The catalogue a receipt chooses from: items still in use. */
export async function receivableItems(): Promise<ReceivableItem[]> {
  const all = await allPages(async (after) => (await gql(ITEMS, { after })).items);
  return all.filter((i) => !i.retiredAt);
}
