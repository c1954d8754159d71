import { pino } from "pino";
import postgres from "postgres";
import { describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config.js";
import { startService } from "../../src/service.js";
import { adminUrl, databaseUrl } from "../support/engine.js";

describe("DATABASE_POOL_SIZE", () => {
  it("caps the connections one process opens, however many requests wait", async () => {
    const name = `rl_pool_${process.pid}`;
    const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
    await admin.unsafe(`drop database if exists ${name}`);
    await admin.unsafe(`create database ${name}`);
    try {
      const config = loadConfig({
        NODE_ENV: "test",
        PORT: "0",
        HOST: "127.0.0.1",
        JWT_SECRET: "x".repeat(32),
        DATABASE_URL: databaseUrl(name),
        DATABASE_POOL_SIZE: "2",
      });
      const svc = await startService(config, { logger: pino({ level: "silent" }) });
      try {
        const answers = await Promise.all(
          Array.from({ length: 30 }, () => fetch(`${svc.url.replace(/\/graphql$/, "")}/readyz`)),
        );
        expect(answers.every((a) => a.status === 200)).toBe(true);
        const [row] = await admin<{ n: number }[]>`
          select count(*)::int as n from pg_stat_activity where datname = ${name}`;
        expect(row!.n).toBe(2);
      } finally {
        await svc.close();
      }
    } finally {
      await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.end();
    }
  });
});
