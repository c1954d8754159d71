import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";

// the build runs on embedded PGlite whatever the engine under test, so this file runs in the PGlite suite only
// (ENGINE_INDEPENDENT in vitest.config.ts)

const root = path.resolve(import.meta.dirname, "..");
const json = { "content-type": "application/json" };

describe("compiled JavaScript", () => {
  let child: ChildProcess | undefined;
  afterAll(() => {
    // the whole group we started: npm, its shell's exec'd node
    if (child?.pid && child.exitCode === null) process.kill(-child.pid, "SIGTERM");
  });

  it("npm run build, then npm start runs the build and answers", { timeout: 300_000 }, async () => {
    execFileSync("npm", ["run", "build"], { cwd: root, stdio: "pipe", timeout: 240_000 });
    const started = spawn("npm", ["start"], {
      cwd: root,
      detached: true,
      env: {
        PATH: process.env.PATH ?? "",
        NODE_ENV: "production",
        JWT_SECRET: "x".repeat(32),
        PORT: "0",
        HOST: "127.0.0.1",
        DATA_DIR: mkdtempSync(path.join(tmpdir(), "rl-build-")),
        LOG_LEVEL: "warn",
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    child = started;
    let out = "";
    started.stdout!.on("data", (c: Buffer) => (out += c.toString("utf8")));
    started.stderr!.on("data", (c: Buffer) => (out += c.toString("utf8")));
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no start within 60 s: ${out}`)), 60_000);
      started.stdout!.on("data", () => {
        const m = /GraphQL: (http:\/\/\S+\/graphql)/.exec(out);
        if (m) {
          clearTimeout(timer);
          resolve(m[1]!);
        }
      });
      started.once("exit", (code) => reject(new Error(`exited ${code}: ${out}`)));
    });
    const res = await fetch(url, {
      method: "POST",
      headers: json,
      body: JSON.stringify({ query: "{ __typename }" }),
    });
    expect(await res.json()).toEqual({ data: { __typename: "Query" } });
    // the console travels with the build: its page at /, its bundle where the page says
    const page = await fetch(url.replace(/graphql$/, ""));
    const html = await page.text();
    expect([page.status, page.headers.get("cache-control")]).toEqual([200, "no-cache"]);
    expect(html).toContain("<title>应急物资储备台账</title>");
    const script = /src="(\/assets\/[^"]+\.js)"/.exec(html)![1]!;
    const bundle = await fetch(new URL(script, url), { headers: { "accept-encoding": "gzip" } });
    expect([
      bundle.status,
      bundle.headers.get("cache-control"),
      bundle.headers.get("content-encoding"),
    ]).toEqual([200, "public, max-age=31536000, immutable", "gzip"]);
    // npm's shell exec'd node on the build, with the semi-space flag kept
    const args = execFileSync("ps", ["-o", "args=", "--ppid", String(started.pid)], { encoding: "utf8" });
    expect(args).toMatch(/node --max-semi-space-size=32 .*dist\/src\/main\.js/);
    expect(args).not.toMatch(/tsx/);
  });
});
