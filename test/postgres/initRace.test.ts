import { spawn } from "node:child_process";
import path from "node:path";
import postgres from "postgres";
import { describe, expect, it } from "vitest";
import { pino } from "pino";
import { DEFAULT_POLICY } from "../../src/app/deps.js";
import { initCounty } from "../../src/app/setup/initCounty.js";
import { openDatabase } from "../../src/db/client.js";
import { withEmptyDatabase } from "../support/engine.js";
import { TEST_SECRET } from "../support/service.js";

const root = path.resolve(import.meta.dirname, "../..");

/** One `npm run admin -- init` as its own process, answering the password on stdin. */
function init(url: string, username: string): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [
        "--import",
        "tsx",
        "src/cli/admin.ts",
        "init",
        "--county",
        "130199",
        "--name",
        "永安县",
        "--username",
        username,
      ],
      {
        cwd: root,
        env: {
          PATH: process.env.PATH ?? "",
          JWT_SECRET: TEST_SECRET,
          DATABASE_URL: url,
          DATA_DIR: "/nonexistent",
        },
      },
    );
    let stderr = "";
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString("utf8")));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stderr: stderr.trim() }));
    child.stdin.end("永安县的管理员密码 2026\n");
  });
}

describe("two administrators initialising the same county at the same moment", () => {
  it("sets it up once: one succeeds, the others are refused and write nothing", async () => {
    await withEmptyDatabase("rl_init_race", async (url) => {
      const database = await openDatabase({ databaseUrl: url, migrate: true, maxConnections: 8 });
      try {
        const deps = {
          database,
          clock: () => new Date(),
          logger: pino({ level: "silent" }),
          policy: DEFAULT_POLICY,
        };
        // five at once through the use case (each on its own connection), then one more through the CLI
        const outcomes = await Promise.allSettled(
          [1, 2, 3, 4, 5].map((i) =>
            initCounty(deps, {
              divisionCode: "130199",
              nameZh: "永安县",
              username: `admin${i}`,
              password: "永安县的管理员密码 2026",
            }),
          ),
        );
        expect(outcomes.filter((o) => o.status === "fulfilled")).toHaveLength(1);
        for (const o of outcomes.filter((o) => o.status === "rejected"))
          expect((o as PromiseRejectedResult).reason).toMatchObject({ code: "DUPLICATE" });
        const late = await init(url, "late.admin");
        expect(late.code).toBe(3);
        expect(late.stderr).toMatch(/already set up/);
      } finally {
        await database.close();
      }
      const db = postgres(url, { max: 1, onnotice: () => {} });
      try {
        const counties = await db`select division_code from regions where level = 'COUNTY'`;
        expect(counties).toEqual([{ division_code: "130199000000" }]);
        expect(await db`select username from users`).toHaveLength(1);
      } finally {
        await db.end();
      }
    });
  });
});
