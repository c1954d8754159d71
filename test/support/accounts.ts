import type { GqlResult, TestService } from "./service.js";
import { query, sql } from "./sql.js";

/** POSTs an operation with a given bearer token (or none) and extra headers, e.g. X-Forwarded-For. */
export async function post<T = Record<string, unknown>>(
  svc: TestService,
  q: string,
  variables: Record<string, unknown> = {},
  opts: { bearer?: string | null; headers?: Record<string, string> } = {},
): Promise<GqlResult<T>> {
  const headers: Record<string, string> = { "content-type": "application/json", ...opts.headers };
  if (opts.bearer) headers.authorization = `Bearer ${opts.bearer}`;
  const res = await fetch(svc.url, {
    method: "POST",
    headers,
    body: JSON.stringify({ query: q, variables }),
  });
  const body = (await res.json()) as Omit<GqlResult, "status">;
  return { status: res.status, data: (body.data ?? null) as never, errors: body.errors };
}

export const SESSION = `session { accessToken accessTokenExpiresAt refreshToken refreshTokenExpiresAt
  mustChangePassword user { username mustChangePassword } }`;
export const SIGN_IN = `mutation($i: SignInInput!) { signIn(input: $i) { ${SESSION} userErrors { code message field } } }`;
export const REFRESH = `mutation($i: RefreshTokenInput!) { refreshSession(input: $i) { ${SESSION} userErrors { code message } } }`;
export const SIGN_OUT = `mutation($i: RefreshTokenInput!) { signOut(input: $i) { signedOut userErrors { code } } }`;
export const CHANGE_PASSWORD = `mutation($i: ChangePasswordInput!) { changePassword(input: $i) {
  user { username mustChangePassword } userErrors { code message field } } }`;
export const CREATE_USER = `mutation($i: CreateUserInput!) { createUser(input: $i) {
  user { id username displayName organisation phone mustChangePassword disabled } oneTimePassword
  userErrors { code message field } } }`;

export interface SessionShape {
  accessToken: string;
  accessTokenExpiresAt: string;
  refreshToken: string;
  refreshTokenExpiresAt: string;
  mustChangePassword: boolean;
  user: { username: string; mustChangePassword: boolean };
}
export type SignInData = {
  signIn: { session: SessionShape | null; userErrors: { code: string; message: string }[] };
};

export async function counts(svc: TestService): Promise<Record<string, number>> {
  const [row] = await query<Record<string, number>>(
    svc.database,
    sql`select (select count(*)::int from users) as users, (select count(*)::int from sessions) as sessions,
               (select count(*)::int from sessions where revoked_at is null) as live,
               (select count(*)::int from audit_events) as audit, (select count(*)::int from role_grants) as grants,
               (select count(*)::int from sign_in_failures) as failures`,
  );
  return row!;
}
