import { expect } from "vitest";
import type { TestService } from "./service.js";
import { query, sql } from "./sql.js";

export type Errors = { userErrors: { code: string; field: string[] }[] };
const USER_FIELDS =
  "user { id username displayName organisation phone disabled mustChangePassword grants { role region { nameZh } } }";
const m = (name: string, input: string) =>
  `mutation($i: ${input}!) { ${name}(input: $i) { ${USER_FIELDS} userErrors { code field message } } }`;
export const UPDATE = m("updateUser", "UpdateUserInput");
export const DISABLE = m("disableUser", "DisableUserInput");
export const ENABLE = m("enableUser", "UserStepInput");
export const GRANT = m("grantRole", "RoleGrantInput");
export const REVOKE = m("revokeRole", "RoleGrantInput");
export const RESET = `mutation($i: UserStepInput!) { resetPassword(input: $i) { user { username mustChangePassword } oneTimePassword userErrors { code field } } }`;

export const codes = (payload: unknown) => (payload as Errors).userErrors.map((e) => e.code);

export interface PeopleHelpers {
  run<T = Record<string, Errors>>(
    q: string,
    i: Record<string, unknown>,
    as?: string,
  ): Promise<{ data: T; errors?: { extensions?: { code?: string } }[] }>;
  idOf(username: string): Promise<string>;
  auditOf(action: string): Promise<{ target_type: string; before: unknown; after: unknown }[]>;
}

export function peopleHelpers(svc: TestService): PeopleHelpers {
  return {
    async run<T>(q: string, i: Record<string, unknown>, as = "county.admin") {
      return (await svc.gql<T>(q, { i }, as)) as { data: T; errors?: { extensions?: { code?: string } }[] };
    },
    async idOf(username) {
      const rows = await query<{ id: string }>(
        svc.database,
        sql`select id::text from users where username = ${username}`,
      );
      expect(rows).toHaveLength(1);
      return Buffer.from(`User:${rows[0]!.id}`).toString("base64url");
    },
    auditOf: (action) =>
      query(
        svc.database,
        sql`select target_type, before, after from audit_events where action = ${action} order by id`,
      ),
  };
}
