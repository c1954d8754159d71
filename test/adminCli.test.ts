import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { pino } from "pino";
import { afterAll, describe, expect, it } from "vitest";
import { loadConfig } from "../src/config.js";
import { startService } from "../src/service.js";
import { post, SIGN_IN, type SignInData } from "./support/accounts.js";
import { engine, withEmptyDatabase } from "./support/engine.js";
import { TEST_SECRET, type TestService } from "./support/service.js";

const root = path.resolve(import.meta.dirname, "..");
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

/** The database a fresh installation points at: an empty data dir, or an empty PostgreSQL database. */
async function onFreshDatabase(use: (env: Record<string, string>) => Promise<void>): Promise<void> {
  const dataDir = mkdtempSync(path.join(tmpdir(), "rl-admin-"));
  dirs.push(dataDir);
  if (engine === "pglite") return use({ DATA_DIR: dataDir });
  await withEmptyDatabase("rl_admin_cli", (url) => use({ DATA_DIR: dataDir, DATABASE_URL: url }));
}

function cli(script: string, args: string[], env: Record<string, string>, input = "") {
  const result = spawnSync(process.execPath, ["--import", "tsx", script, ...args], {
    cwd: root,
    env: { PATH: process.env.PATH ?? "", JWT_SECRET: TEST_SECRET, ...env },
    input,
    encoding: "utf8",
    timeout: 120_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr.trim() };
}

const INIT = ["init", "--county", "130199", "--name", "永安县", "--username", "yongan.admin"];
const COUNT =
  "{ regions(first: 10) { nodes { level divisionCode nameZh population } } me { roles user { username } } }";

describe("npm run admin -- init", () => {
  it("sets up a county and its first administrator, who signs in with the password; never twice", async () => {
    await onFreshDatabase(async (env) => {
      const weak = cli("src/cli/admin.ts", INIT, env, "short\n");
      expect(weak.code).not.toBe(0);
      expect(weak.stderr).toMatch(/10 to 256 characters/);
      expect(readdirSync(env.DATA_DIR!)).toEqual([]);

      const first = cli(
        "src/cli/admin.ts",
        [...INIT, "--population", "412000"],
        env,
        "永安县的管理员密码 2026\n",
      );
      expect(first.stderr).toBe("");
      expect(first.code).toBe(0);
      expect(first.stdout).toContain("永安县 (130199000000) is set up");
      expect(first.stdout).toContain("signIn");

      const again = cli(
        "src/cli/admin.ts",
        ["init", "--county", "130199000000", "--name", "永安县", "--username", "another.admin"],
        env,
        "another long password\n",
      );
      expect(again.code).not.toBe(0);
      expect(again.stderr).toMatch(/already set up/);

      const service = await startService(
        loadConfig({ ...env, NODE_ENV: "test", PORT: "0", HOST: "127.0.0.1", JWT_SECRET: TEST_SECRET }),
        { logger: pino({ level: "silent" }) },
      );
      try {
        const svc = service as unknown as TestService;
        const wrong = await post<SignInData>(svc, SIGN_IN, {
          i: { username: "yongan.admin", password: "not the password" },
        });
        expect(wrong.data!.signIn.userErrors.map((e) => e.code)).toEqual(["INVALID_CREDENTIALS"]);
        const signIn = await post<SignInData>(svc, SIGN_IN, {
          i: { username: "yongan.admin", password: "永安县的管理员密码 2026" },
        });
        const session = signIn.data!.signIn.session!;
        expect(session.mustChangePassword).toBe(false);
        const res = await post(svc, COUNT, {}, { bearer: session.accessToken });
        // one county, nothing from the second init, and no demo county
        expect(res.data).toEqual({
          regions: {
            nodes: [{ level: "COUNTY", divisionCode: "130199000000", nameZh: "永安县", population: 412000 }],
          },
          me: { roles: ["COUNTY_ADMIN"], user: { username: "yongan.admin" } },
        });
        const users = await post<{ users: { nodes: { username: string }[] } }>(
          svc,
          "{ users(first: 10) { nodes { username } } }",
          {},
          { bearer: session.accessToken },
        );
        expect(users.data!.users.nodes).toEqual([{ username: "yongan.admin" }]);
      } finally {
        await service.close();
      }
    });
  });

  it("refuses bad arguments without touching a database", () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), "rl-admin-"));
    dirs.push(dataDir);
    for (const args of [
      ["init", "--county", "1301", "--name", "永安县", "--username", "yongan.admin"],
      ["init", "--county", "130199", "--username", "yongan.admin"],
      ["init", "--county", "130199", "--name", "永安县", "--username", "Bad Name"],
      ["create", "--county", "130199"],
    ]) {
      const res = cli("src/cli/admin.ts", args, { DATA_DIR: dataDir }, "a long enough password\n");
      expect(res.code).not.toBe(0);
      expect(res.stderr).toMatch(/^admin: /);
    }
    expect(readdirSync(dataDir)).toEqual([]);
  });
});

describe("production keeps demo data and minted tokens out", () => {
  it("SEED_DEMO defaults to true only outside production, and production never seeds", () => {
    const secret = { JWT_SECRET: TEST_SECRET };
    expect(loadConfig({ NODE_ENV: "development" }).SEED_DEMO).toBe(true);
    expect(loadConfig({ NODE_ENV: "development", SEED_DEMO: "false" }).SEED_DEMO).toBe(false);
    expect(loadConfig({ NODE_ENV: "production", ...secret }).SEED_DEMO).toBe(false);
    expect(loadConfig({ NODE_ENV: "production", SEED_DEMO: "true", ...secret }).SEED_DEMO).toBe(false);
  });

  it("npm run token is refused with NODE_ENV=production", () => {
    const res = cli("src/cli/token.ts", ["county.officer"], { NODE_ENV: "production", DATA_DIR: tmpdir() });
    expect(res.code).not.toBe(0);
    expect(res.stdout).toBe("");
    expect(res.stderr).toMatch(/NODE_ENV=production/);
  });
});
