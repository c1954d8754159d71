import { allPages, nextCursor, type Page } from "../../api/pages";
import { UNDER_WAY } from "../../../../src/domain/requisition/lifecycle";
import { graphql } from "../../gql";
import type {
  CountyCoverageMapQuery,
  CountyDepotLotsQuery,
  CountyExpiringLotsQuery,
  CountyGapsQuery,
  CountyReadinessQuery,
  CountyRegionDepotsQuery,
  CountyRequisitionsQuery,
  CountyDiscrepanciesQuery,
  RequisitionStatus,
} from "../../gql/graphql";
import { gql } from "../../api/client";

const COVERAGE_MAP = graphql(`
  query CountyCoverageMap($countyId: ID!, $after: String) {
    coverageMap(countyId: $countyId, level: TOWNSHIP, first: 100, after: $after) {
      nodes {
        region {
          id
          nameZh
          nameEn
          divisionCode
        }
        vehiclesOnCall
        cells {
          item {
            id
            code
            nameZh
            nameEn
            unit {
              nameZh
              nameEn
            }
          }
          status
          ratio
          usable
          required
          expiringWithin30Days
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`);

const GAPS = graphql(`
  query CountyGaps($countyId: ID!, $after: String) {
    coverageGaps(regionId: $countyId, first: 50, after: $after) {
      nodes {
        shortfall
        line {
          region {
            id
            nameZh
            nameEn
            level
          }
          item {
            id
            code
            nameZh
            nameEn
            unit {
              nameZh
              nameEn
            }
          }
          status
          ratio
          usable
          required
        }
        nearestSurplus {
          quantity
          travelMinutes
          region {
            id
            nameZh
            nameEn
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

const READINESS = graphql(`
  query CountyReadiness($countyId: ID!, $after: String) {
    readiness(regionId: $countyId, first: 100, after: $after) {
      nodes {
        region {
          id
          nameZh
          nameEn
          level
          divisionCode
        }
        depots
        staleDepots
        countedInTimeShare
        unitsTestOverdue
        overdueLoans
        openLoans
        openPaperwork
        overduePaperwork
        expired {
          lots
          quantity
          item {
            id
            nameZh
            nameEn
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

const EXPIRING = graphql(`
  query CountyExpiringLots($countyId: ID!, $after: String) {
    expiringLots(regionId: $countyId, within: 90, first: 100, after: $after) {
      nodes {
        daysToExpiry
        lot {
          id
          depot {
            region {
              id
              level
              parent {
                id
              }
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

const REGION_DEPOTS = graphql(`
  query CountyRegionDepots($regionId: ID!, $after: String) {
    depots(regionId: $regionId, first: 100, after: $after) {
      nodes {
        id
        code
        nameZh
        nameEn
        kind
        closedAt
        region {
          id
          nameZh
          nameEn
        }
        stock {
          item {
            id
            code
            nameZh
            nameEn
            unit {
              nameZh
              nameEn
            }
          }
          onHand
          usable
          expired
          damaged
          quarantined
          inTransit
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`);

const DEPOT_LOTS = graphql(`
  query CountyDepotLots($depotId: ID!, $after: String) {
    lots(depotId: $depotId, first: 100, after: $after) {
      nodes {
        id
        lotCode
        serialNumber
        onHand
        condition
        expiresOn
        lastTestRunOn
        item {
          id
          nameZh
          nameEn
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`);

const REQUISITIONS = graphql(`
  query CountyRequisitions($status: RequisitionStatus!, $after: String) {
    requisitions(status: $status, first: 50, after: $after) {
      nodes {
        id
        status
        priority
        incident
        reason
        createdAt
        neededBy
        returnDueOn
        awaitingCountyApproval
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
          id
          requestedQuantity
          approvedQuantity
          item {
            id
            nameZh
            nameEn
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

const DISCREPANCIES = graphql(`
  query CountyDiscrepancies($after: String) {
    openDiscrepancies(first: 50, after: $after) {
      nodes {
        id
        kind
        quantity
        reason
        recordedAt
        disposition
        requisition {
          id
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
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`);

export type MapRow = CountyCoverageMapQuery["coverageMap"]["nodes"][number];
export type Gap = CountyGapsQuery["coverageGaps"]["nodes"][number];
export type Readiness = CountyReadinessQuery["readiness"]["nodes"][number];
export type ExpiringLot = CountyExpiringLotsQuery["expiringLots"]["nodes"][number];
export type RegionDepot = CountyRegionDepotsQuery["depots"]["nodes"][number];
export type DepotLot = CountyDepotLotsQuery["lots"]["nodes"][number];
export type OpenRequisition = CountyRequisitionsQuery["requisitions"]["nodes"][number];
export type Discrepancy = CountyDiscrepanciesQuery["openDiscrepancies"]["nodes"][number];

/** One page of a list, and the cursor of the next when there is one. */
export interface Slice<N> {
  nodes: N[];
  next: string | null;
}
const slice = <N>(p: Page<N>): Slice<N> => ({ nodes: p.nodes, next: nextCursor(p) });

/** The township × item grid of the county (every township the viewer may read, every item with a norm). */
export const coverageMap = (countyId: string) =>
  allPages(async (after) => (await gql(COVERAGE_MAP, { countyId, after })).coverageMap);

/** Gaps of the county's subtree, worst first: one page (the worst) at a time. */
export const coverageGaps = async (countyId: string, after: string | null) =>
  slice((await gql(GAPS, { countyId, after })).coverageGaps);

/** Readiness of the county and every region below it. */
export const readiness = (countyId: string) =>
  allPages(async (after) => (await gql(READINESS, { countyId, after })).readiness);

/** Serviceable lots of the county expiring within 90 days, each with the region of its depot. */
export const expiringLots = (countyId: string) =>
  allPages(async (after) => (await gql(EXPIRING, { countyId, after })).expiringLots);

/** The depots of a region's subtree with their stock per item. */
export const regionDepots = (regionId: string) =>
  allPages(async (after) => (await gql(REGION_DEPOTS, { regionId, after })).depots);

/** Every lot of a depot. */
export const depotLots = (depotId: string) =>
  allPages(async (after) => (await gql(DEPOT_LOTS, { depotId, after })).lots);

/** Requisitions still under way (the domain's rule, src/domain/requisition/lifecycle.ts). */
export const OPEN_STATUSES: readonly RequisitionStatus[] = UNDER_WAY;

/** One page of the county's requisitions in one status, newest first. */
export const requisitionsIn = async (status: RequisitionStatus, after: string | null) =>
  slice((await gql(REQUISITIONS, { status, after })).requisitions);

/** One page of the discrepancies not yet settled, oldest first. */
export const openDiscrepancies = async (after: string | null) =>
  slice((await gql(DISCREPANCIES, { after })).openDiscrepancies);
