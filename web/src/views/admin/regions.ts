import { ref } from "vue";
import { gql } from "../../api/client";
import { graphql } from "../../gql";
import type { AdminRegionsQuery } from "../../gql/graphql";
import { allPages } from "../../api/pages";

const REGIONS = graphql(`
  query AdminRegions($after: String) {
    regions(first: 100, after: $after) {
      nodes {
        id
        nameZh
        nameEn
        level
        divisionCode
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`);

export type RegionOption = AdminRegionsQuery["regions"]["nodes"][number];

/** The county's regions, read once for every picker of the desk, in division-code order (county, township, its villages). */
export const regions = ref<RegionOption[]>([]);
let loading: Promise<void> | null = null;

export function loadRegions(force = false): Promise<void> {
  if (loading && !force) return loading;
  loading = allPages(async (after) => (await gql(REGIONS, { after })).regions).then(
    (all) => void (regions.value = [...all].sort((a, b) => a.divisionCode.localeCompare(b.divisionCode))),
    (e: unknown) => {
      loading = null;
      throw e;
    },
  );
  return loading;
}
