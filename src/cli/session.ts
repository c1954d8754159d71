import { pino } from "pino";
import { type AppDeps, DEFAULT_POLICY } from "../app/deps.js";
import type { Config } from "../config.js";
import { openDatabase } from "../db/client.js";
import { lockDataDir } from "../shared/dataDirLock.js";

/** The value after `--name` on a command line. */
export function option(args: string[], name: string): string | undefined {
  const at = args.indexOf(`--${name}`);
  return at >= 0 ? args[at + 1] : undefined;
}

/**
 * Runs a command-line job against the service's database with the app's own use cases, then closes it. On the
 * embedded engine the data folder is locked first: a running service on the same folder would lose the job's
 * writes or its own (DataDirInUse names the holder).
 */
export async function withAppDeps<T>(config: Config, job: (deps: AppDeps) => Promise<T>): Promise<T> {
  const lock = config.DATABASE_URL ? null : lockDataDir(config.dataDir);
  try {
    const database = await openDatabase({
      databaseUrl: config.DATABASE_URL,
      dataDir: `${config.dataDir}/pglite`,
      maxConnections: 2,
      migrate: true,
    });
    try {
      return await job({
        database,
        clock: () => new Date(),
        logger: pino({ level: "silent" }),
        policy: DEFAULT_POLICY,
      });
    } finally {
      await database.close();
    }
  } finally {
    lock?.release();
  }
}
