import type { TypedDocumentString } from "../gql/graphql";
import { session } from "./session";

/** A failure the console shows as one line: the GraphQL error code, or NETWORK when the server was not reached. */
export class ApiError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

interface GraphQLResponse<R> {
  data?: R | null;
  errors?: { message: string; extensions?: { code?: string } }[];
}

async function post<R, V>(doc: TypedDocumentString<R, V>, variables: V, token: string | null) {
  const headers: Record<string, string> = { "content-type": "application/json", accept: "application/json" };
  if (token) headers.authorization = `Bearer ${token}`;
  let res: Response;
  try {
    res = await fetch("/graphql", {
      method: "POST",
      headers,
      body: JSON.stringify({ query: doc.toString(), variables }),
    });
  } catch (e) {
    throw new ApiError("NETWORK", e instanceof Error ? e.message : String(e));
  }
  if (res.status >= 500 && !res.headers.get("content-type")?.includes("json"))
    throw new ApiError("NETWORK", `HTTP ${res.status}`);
  return (await res.json()) as GraphQLResponse<R>;
}

/**
 * Runs an operation as the signed-in person. An expired access token is refreshed once and the operation sent
 * again; a refusal the schema models (userErrors) is data, not an exception.
 */
export async function gql<R, V>(doc: TypedDocumentString<R, V>, variables: V): Promise<R> {
  let body = await post(doc, variables, await session.accessToken());
  if (body.errors?.some((e) => e.extensions?.code === "UNAUTHENTICATED") && (await session.refresh()))
    body = await post(doc, variables, await session.accessToken());
  const first = body.errors?.[0];
  if (first) {
    if (first.extensions?.code === "UNAUTHENTICATED") session.forget();
    throw new ApiError(first.extensions?.code ?? "INTERNAL_SERVER_ERROR", first.message);
  }
  return body.data as R;
}

/** An operation sent without anyone signed in (sign-in and refresh themselves). */
export async function anonymous<R, V>(doc: TypedDocumentString<R, V>, variables: V): Promise<R> {
  const body = await post(doc, variables, null);
  const first = body.errors?.[0];
  if (first) throw new ApiError(first.extensions?.code ?? "INTERNAL_SERVER_ERROR", first.message);
  return body.data as R;
}
