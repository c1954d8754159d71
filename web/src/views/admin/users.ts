import { gql } from "../../api/client";
import { graphql } from "../../gql";
import type { AdminUsersQuery } from "../../gql/graphql";

const USERS = graphql(`
  query AdminUsers($first: Int!, $after: String, $filter: UserFilter) {
    users(first: $first, after: $after, filter: $filter) {
      nodes {
        id
        username
        displayName
        organisation
        phone
        disabled
        disabledAt
        mustChangePassword
        grants {
          role
          region {
            id
            nameZh
            nameEn
            level
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

export type AdminUser = AdminUsersQuery["users"]["nodes"][number];

/** A page of the county's people, disabled ones too, narrowed by a search of name or username. */
export async function usersPage(
  countyId: string,
  opts: { after?: string | null; search?: string; first?: number; includeDisabled?: boolean },
) {
  const search = opts.search?.trim();
  const { users } = await gql(USERS, {
    first: opts.first ?? 20,
    after: opts.after ?? null,
    filter: { countyId, includeDisabled: opts.includeDisabled ?? true, ...(search ? { search } : {}) },
  });
  return users;
}
