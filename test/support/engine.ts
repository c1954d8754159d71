import postgres from "postgres";

/** Which engine this run tests: PGlite by default, PostgreSQL with `npm run test:pg`. */
export const engine: "pglite" | "postgres" = process.env.TEST_ENGINE === "postgres" ? "postgres" : "pglite";

export const adminUrl = process.env.TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";

/** The URL of another database on the same server. */
export function databaseUrl(name: string): string {
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

/** An empty database of its own on the server for `use`, dropped afterwards whether `use` passed or failed. */
export async function withEmptyDatabase<T>(
  prefix: string,
  use: (url: string, admin: postgres.Sql) => Promise<T>,
): Promise<T> {
  const name = `${prefix}_${process.pid}`;
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`drop database if exists ${name}`);
  await admin.unsafe(`create database ${name}`);
  try {
    return await use(databaseUrl(name), admin);
  } finally {
    await admin.unsafe(`drop database if exists ${name} with (force)`);
    await admin.end();
  }
}
