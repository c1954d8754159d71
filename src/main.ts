import "reflect-metadata";
import { ConfigError, loadConfig } from "./config.js";
import { DEMO_PASSWORD, giveDemoPeoplePasswords, seedDemoIfEmpty } from "../seeds/demo.js";
import { startService } from "./service.js";

async function main(): Promise<void> {
  const config = loadConfig();
  let seeded = false;
  const service = await startService(config, {
    firstStart: async (deps) => {
      seeded = config.SEED_DEMO ? await seedDemoIfEmpty(deps) : false;
      if (seeded) await giveDemoPeoplePasswords(deps);
    },
  });
  if (config.NODE_ENV === "production" && process.env.SEED_DEMO === "true")
    service.deps.logger.warn("SEED_DEMO is ignored in production: the demo county is never loaded there");
  const engine =
    service.deps.database.engine === "pglite" ? `PGlite in ${config.dataDir}/pglite` : "PostgreSQL";
  service.deps.logger.info({ engine, seeded }, "ready");
  console.log(`
  GraphQL: ${service.url}   (database: ${engine}${seeded ? ", demo county loaded" : ""})
  A new county:  npm run admin -- init --county <division code> --name <name> --username <name>
  Console:       ${service.url.replace(/graphql$/, "")}${config.SEED_DEMO ? `   (demo people, e.g. county.officer, chengguan.keeper: password ${DEMO_PASSWORD})` : ""}
  Sign in:       mutation { signIn(input: { username: "…", password: "…" }) { session { accessToken } } }
  ${config.NODE_ENV === "production" ? "" : "Demo token:    npm run token -- county.officer\n  "}Then:          curl -s ${service.url} -H 'content-type: application/json' \\
                   -H "authorization: Bearer $TOKEN" -d '{"query":"{ me { user { displayName } roles } }"}'
`);
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return service.deps.logger.warn({ signal }, "already stopping");
    stopping = true;
    const graceSeconds = config.SHUTDOWN_GRACE_SECONDS;
    service.deps.logger.info({ signal, graceSeconds }, "stopping: finishing requests in flight");
    service.close().then(
      ({ cut }) => {
        if (cut === 0) {
          service.deps.logger.info("stopped");
          process.exit(0);
        }
        // a supervisor must see that work was lost: the grace period was shorter than the slowest request
        process.exit(1);
      },
      (err: unknown) => {
        service.deps.logger.error({ err }, "stopping failed");
        process.exit(1);
      },
    );
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}

main().catch((e: unknown) => {
  // one line, no stack trace: the operator needs the cause, not our call graph
  const message =
    e instanceof ConfigError
      ? e.message
      : e instanceof Error
        ? `${e.name === "Error" ? "start-up failed" : e.name}: ${e.message || (e as NodeJS.ErrnoException).code}`
        : String(e);
  console.error(`reserve-ledger: ${message}`);
  process.exit(1);
});
