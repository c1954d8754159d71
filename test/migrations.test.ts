import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Database, openDatabase } from "../src/db/client.js";
import { migratePgliteDatabase, migratePostgresDatabase } from "../src/db/migrate.js";
import { engine, adminUrl, databaseUrl } from "./support/engine.js";
import { query, sql } from "./support/sql.js";
import postgres from "postgres";

/** Tables whose rows belong to one county and must carry county_id in every key (Citus distribution). */
// sessions and sign-in failures belong to a person (a username), like users, not to a county
const REFERENCE_TABLES = ["units", "items", "users", "sessions", "sign_in_failures"];

let database: Database;
let drop: () => Promise<void>;

beforeAll(async () => {
  // from empty: no template, the migrations alone
  if (engine === "pglite") {
    database = await openDatabase({ migrate: true });
    drop = () => database.close();
  } else {
    const name = `rl_migrate_${process.pid}`;
    const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
    await admin.unsafe(`drop database if exists ${name}`);
    await admin.unsafe(`create database ${name}`);
    database = await openDatabase({ databaseUrl: databaseUrl(name), migrate: true });
    drop = async () => {
      await database.close();
      await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.end();
    };
  }
});
afterAll(() => drop());

describe("migrations from an empty database", () => {
  it("create every table of the model", async () => {
    const rows = await query<{ table_name: string }>(
      database,
      sql`select table_name from information_schema.tables where table_schema = 'public' order by 1`,
    );
    expect(rows.map((r) => r.table_name)).toEqual(
      expect.arrayContaining([
        "regions",
        "region_paths",
        "region_neighbours",
        "depots",
        "depot_keepers",
        "users",
        "role_grants",
        "units",
        "items",
        "lots",
        "stock_levels",
        "movements",
        "stock_takes",
        "stock_take_lines",
        "write_off_requests",
        "lot_condition_changes",
        "test_runs",
        "rotations",
        "reserve_norms",
        "requisitions",
        "requisition_lines",
        "allocations",
        "requisition_approvals",
        "requisition_events",
        "discrepancies",
        "loans",
        "idempotency_keys",
        "depot_handovers",
        "agreements",
        "agreement_lines",
      ]),
    );
  });

  it("can be applied twice without change", async () => {
    const before = await query(database, sql`select count(*)::int as n from drizzle.__drizzle_migrations`);
    if (engine === "pglite") await migratePgliteDatabase(database.pglite!);
    else await migratePostgresDatabase(databaseUrl(`rl_migrate_${process.pid}`));
    const after = await query(database, sql`select count(*)::int as n from drizzle.__drizzle_migrations`);
    expect(after).toEqual(before);
  });
});

describe("the schema is ready for distribution by county_id", () => {
  it("every county-scoped table has county_id leading its primary key", async () => {
    const rows = await query<{ table_name: string; first_column: string | null; nullable: string | null }>(
      database,
      sql`select t.table_name,
                 (select a.attname from pg_index i
                    join pg_attribute a on a.attrelid = i.indrelid and a.attnum = i.indkey[0]
                   where i.indrelid = ('public.' || t.table_name)::regclass and i.indisprimary) as first_column,
                 (select is_nullable from information_schema.columns c
                   where c.table_schema = 'public' and c.table_name = t.table_name and c.column_name = 'county_id')
                   as nullable
            from information_schema.tables t where t.table_schema = 'public' order by 1`,
    );
    const countyScoped = rows.filter((r) => !REFERENCE_TABLES.includes(r.table_name));
    expect(countyScoped.length).toBeGreaterThan(20);
    for (const r of countyScoped) {
      expect({ table: r.table_name, first: r.first_column, nullable: r.nullable }).toEqual({
        table: r.table_name,
        first: "county_id",
        nullable: "NO",
      });
    }
  });

  it("every unique constraint and foreign key between county tables includes county_id", async () => {
    const rows = await query<{
      name: string;
      kind: string;
      source: string;
      target: string | null;
      cols: string[];
    }>(
      database,
      sql`select c.conname as name, c.contype as kind, c.conrelid::regclass::text as source,
                 c.confrelid::regclass::text as target,
                 array(select a.attname::text from unnest(c.conkey) k join pg_attribute a
                        on a.attrelid = c.conrelid and a.attnum = k) as cols
            from pg_constraint c join pg_namespace n on n.oid = c.connamespace
           where n.nspname = 'public' and c.contype in ('u', 'f', 'p')`,
    );
    const offenders = rows.filter((r) => {
      if (REFERENCE_TABLES.includes(r.source)) return false;
      // a county table may point at a reference table by its plain key
      if (r.kind === "f" && r.target && REFERENCE_TABLES.includes(r.target)) return false;
      return !r.cols.includes("county_id");
    });
    expect(offenders).toEqual([]);
    const referenceIntoCounty = rows.filter(
      (r) =>
        r.kind === "f" &&
        REFERENCE_TABLES.includes(r.source) &&
        r.target &&
        !REFERENCE_TABLES.includes(r.target),
    );
    expect(referenceIntoCounty).toEqual([]);
  });

  it("ids are bigint", async () => {
    const rows = await query<{ table_name: string; data_type: string }>(
      database,
      sql`select table_name, data_type from information_schema.columns
           where table_schema = 'public' and column_name = 'id'`,
    );
    expect(rows.length).toBeGreaterThan(15);
    for (const r of rows)
      expect({ t: r.table_name, type: r.data_type }).toEqual({ t: r.table_name, type: "bigint" });
  });
});
