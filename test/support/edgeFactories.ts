import { CREATE_USER } from "./accounts.js";
import { type County, mutation, unique } from "./factories.js";

/**
 * People made the way an administrator makes them over the API: for the sign-in and account tests, which need
 * someone with a one-time password (the factories' people have none: an identity provider signs them in).
 */

export interface Newcomer {
  /** Global id of the user. */
  id: string;
  username: string;
  oneTimePassword: string;
}

/** A new person of the county, created by its administrator (createUser), with the one-time password it answered. */
export async function aNewcomer(
  county: County,
  username = `newcomer.${unique()}`,
  extra: Record<string, unknown> = {},
): Promise<Newcomer> {
  const res = await county.svc.gql<{
    createUser: { user: { id: string } | null; oneTimePassword: string | null; userErrors: unknown[] };
  }>(
    CREATE_USER,
    {
      i: {
        countyId: county.id,
        username,
        displayName: `测试 ${username}`,
        organisation: county.nameZh,
        ...extra,
      },
    },
    county.admin,
  );
  const created = res.data?.createUser;
  if (!created?.user || !created.oneTimePassword) throw new Error(`createUser: ${JSON.stringify(res)}`);
  return { id: created.user.id, username, oneTimePassword: created.oneTimePassword };
}

/** The county's administrator grants (or revokes) a role over a region of the county, the county itself by default. */
export async function aGrant(
  county: County,
  userId: string,
  role: string,
  opts: { regionId?: string; revoke?: boolean } = {},
): Promise<void> {
  await mutation(
    county.svc,
    county.admin,
    opts.revoke ? "revokeRole" : "grantRole",
    "RoleGrantInput",
    { userId, role, regionId: opts.regionId ?? county.id },
    "",
  );
}
