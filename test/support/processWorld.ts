import { pino } from "pino";
import { DEFAULT_POLICY } from "../../src/app/deps.js";
import { signLocalToken } from "../../src/auth/tokens.js";
import type { Database } from "../../src/db/client.js";
import { gqlAt } from "./ops.js";
import { TEST_SECRET, type TestService } from "./service.js";

/** What a use case run by the test itself needs, on a connection of the test's own to a process's database. */
export const depsOn = (database: Database) => ({
  database,
  clock: () => new Date(),
  logger: pino({ level: "silent" }),
  policy: DEFAULT_POLICY,
});

/**
 * The factories' view of a service running in another process: they provision through the use cases on the
 * test's own connection to its database, and send every GraphQL step over HTTP to `base`, as an office would.
 */
export function worldThrough(database: Database, base: string): TestService {
  const secret = new TextEncoder().encode(TEST_SECRET);
  const token = (username: string, o: { expiresIn?: string } = {}) => signLocalToken(secret, username, o);
  const gql: TestService["gql"] = async (query, variables, as) => {
    if (!as) throw new Error("say who asks: the world of another process has no anonymous steps");
    const res = await gqlAt(base, as, query, variables);
    return { status: res.status, data: (res.data ?? null) as never, errors: res.errors };
  };
  return { deps: depsOn(database), database, token, gql } as unknown as TestService;
}
