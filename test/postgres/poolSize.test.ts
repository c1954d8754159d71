import { pino } from "pino";
import { describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config.js";
import { startService } from "../../src/service.js";
import { withEmptyDatabase } from "../support/engine.js";

describe("DATABASE_POOL_SIZE", () => {
  it("caps the connections one process opens, however many requests wait", async () => {
    await withEmptyDatabase("rl_pool", async (url, admin) => {
      const config = loadConfig({
        NODE_ENV: "test",
        PORT: "0",
        HOST: "127.0.0.1",
        JWT_SECRET: "x".repeat(32),
        DATABASE_URL: url,
        DATABASE_POOL_SIZE: "2",
      });
      const svc = await startService(config, { logger: pino({ level: "silent" }) });
      try {
        const answers = await Promise.all(
          Array.from({ length: 30 }, () => fetch(`${svc.url.replace(/\/graphql$/, "")}/readyz`)),
        );
        expect(answers.every((a) => a.status === 200)).toBe(true);
        const [row] = await admin<{ n: number }[]>`
          select count(*)::int as n from pg_stat_activity where datname = ${new URL(url).pathname.slice(1)}`;
        // of the pool's two, the one for commands and resolvers (the other serves compiled reads, and none was
        // asked), and the one connection that LISTENs for live notifications (docs/decisions.md 47)
        expect(row!.n).toBe(2);
      } finally {
        await svc.close();
      }
    });
  });
});
