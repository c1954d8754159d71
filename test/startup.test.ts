import { spawnSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";

const root = path.resolve(import.meta.dirname, "..");

function start(env: Record<string, string>) {
  const result = spawnSync(process.execPath, ["--import", "tsx", "src/main.ts"], {
    cwd: root,
    env: { PATH: process.env.PATH ?? "", PORT: "0", HOST: "127.0.0.1", ...env },
    encoding: "utf8",
    timeout: 60_000,
  });
  return { code: result.status, stderr: result.stderr.trim(), stdout: result.stdout };
}

describe("start-up refuses bad settings with one line and a non-zero exit", () => {
  it("an unreachable DATABASE_URL", () => {
    const { code, stderr } = start({
      DATABASE_URL: "postgres://postgres@127.0.0.1:1/nowhere",
      JWT_SECRET: "x".repeat(32),
    });
    expect(code).not.toBe(0);
    expect(stderr.split("\n")).toHaveLength(1);
    expect(stderr).toMatch(/^reserve-ledger: .*(ECONNREFUSED|connect)/);
  });

  it("production without JWT_SECRET or JWKS_URL", () => {
    const { code, stderr } = start({
      NODE_ENV: "production",
      DATA_DIR: mkdtempSync(path.join(tmpdir(), "rl-")),
    });
    expect(code).not.toBe(0);
    expect(stderr.split("\n")).toHaveLength(1);
    expect(stderr).toMatch(/JWT_SECRET or JWKS_URL/);
  });

  it("a pool of no connections", () => {
    const { code, stderr } = start({
      DATABASE_POOL_SIZE: "0",
      DATA_DIR: mkdtempSync(path.join(tmpdir(), "rl-")),
    });
    expect(code).not.toBe(0);
    expect(stderr.split("\n")).toHaveLength(1);
    expect(stderr).toMatch(/DATABASE_POOL_SIZE/);
  });
});
