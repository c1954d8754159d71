import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { pino } from "pino";
import postgres from "postgres";
import type { TestProject } from "vitest/node";
import { DEFAULT_POLICY } from "../../src/app/deps.js";
import { openDatabase } from "../../src/db/client.js";
import { seedDemoIfEmpty } from "../../seeds/demo.js";
import { ensureConsoleBuilt } from "../../src/shared/consoleBuild.js";
import { adminUrl, databaseUrl, engine } from "./engine.js";

declare module "vitest" {
  export interface ProvidedContext {
    /** PGlite: path of a dump of the migrated, demo-seeded data dir. PostgreSQL: the template database name. */
    template: string;
  }
}

/**
 * Migrates and seeds once per run; each test file then starts from a copy (a PGlite dump, or a PostgreSQL
 * database created from a template), so files never share data and never pay for migrations again.
 */
export default async function setup(project: TestProject) {
  const logger = pino({ level: "silent" });
  // the browser tests load the console the service serves: build it first when its sources changed
  ensureConsoleBuilt(() => {});
  const clock = () => new Date();
  if (engine === "pglite") {
    const dir = await mkdtemp(path.join(tmpdir(), "reserve-ledger-"));
    const database = await openDatabase({ migrate: true });
    await seedDemoIfEmpty({ database, clock, logger, policy: DEFAULT_POLICY });
    const dump = await database.pglite!.dumpDataDir("none");
    const file = path.join(dir, "template.tar");
    await writeFile(file, Buffer.from(await dump.arrayBuffer()));
    await database.close();
    project.provide("template", file);
    return async () => rm(dir, { recursive: true, force: true });
  }
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  const template = `rl_template_${process.pid}`;
  await admin.unsafe(`drop database if exists ${template}`);
  await admin.unsafe(`create database ${template}`);
  const database = await openDatabase({
    databaseUrl: databaseUrl(template),
    migrate: true,
    maxConnections: 2,
  });
  await seedDemoIfEmpty({ database, clock, logger, policy: DEFAULT_POLICY });
  await database.close();
  project.provide("template", template);
  return async () => {
    await admin.unsafe(`drop database if exists ${template} with (force)`);
    await admin.end();
  };
}
