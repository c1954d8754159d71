import { mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { type Browser, chromium, type Page } from "playwright-core";
import { DEMO_PASSWORD } from "../seeds/demo.js";
import { ensureConsoleBuilt } from "../src/shared/consoleBuild.js";
import { startProcess, stopProcess } from "./processes.js";

/**
 * `npx tsx bench/console.ts [-- --runs 5]`: what the web console costs a browser on this machine, against the
 * service `npm start` runs (embedded PGlite, the demo county): bytes over the wire on a first visit (compressed
 * as sent, cold cache) and the time until each screen can be used. Results → bench/CONSOLE.md.
 */
const PORT = 4106;
const BASE = `http://127.0.0.1:${PORT}`;
const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const runs = Number(process.argv[process.argv.indexOf("--runs") + 1] || 5);

interface Visit {
  bytes: number;
  files: number;
  ms: number;
}

/** A cold visit: a new context (no cache, no storage), counting every response's encoded body and headers. */
async function visit(browser: Browser, work: (page: Page) => Promise<number>): Promise<Visit> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const sizes: Promise<number>[] = [];
  page.on("requestfinished", (req) =>
    sizes.push(req.sizes().then((s) => s.responseBodySize + s.responseHeadersSize)),
  );
  const ms = await work(page);
  const all = await Promise.all(sizes);
  await context.close();
  return { bytes: all.reduce((a, b) => a + b, 0), files: all.length, ms };
}

/** Milliseconds from the navigation's start until `selector` is on screen, as the page's own clock says. */
const until = async (page: Page, selector: string) => {
  await page.waitForSelector(selector, { state: "visible" });
  return page.evaluate(() => performance.now());
};

async function signedIn(page: Page, username: string, desk: string): Promise<number> {
  await page.goto(BASE);
  await page.fill("input[name=username]", username);
  await page.fill("input[name=password]", DEMO_PASSWORD);
  const at = await page.evaluate(() => performance.now());
  await page.click("form[data-test=sign-in] button[type=submit]");
  return (await until(page, desk)) - at;
}

const SCREENS: { name: string; work: (page: Page) => Promise<number> }[] = [
  {
    name: "sign-in page, interactive",
    work: async (page) => {
      await page.goto(BASE);
      return until(page, "form[data-test=sign-in] button[type=submit]:enabled");
    },
  },
  {
    name: "keeper desk after sign-in (chengguan.keeper)",
    work: (p) => signedIn(p, "chengguan.keeper", ".stock li"),
  },
  {
    name: "county coverage grid after sign-in (county.officer)",
    work: (p) => signedIn(p, "county.officer", "[data-test=legend]"),
  },
];

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;

async function main() {
  ensureConsoleBuilt((line) => console.log(line));
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "rl-bench-console-"));
  const service = await startProcess(
    "service",
    process.execPath,
    ["--import", "tsx", "src/main.ts"],
    { PORT: String(PORT), HOST: "127.0.0.1", DATA_DIR: dataDir, LOG_LEVEL: "warn", NODE_ENV: "development" },
    `${BASE}/readyz`,
  );
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox"] });
  const rows: string[] = [];
  try {
    for (const screen of SCREENS) {
      await visit(browser, screen.work); // warm the service's own caches (compressed files, catalogue)
      const seen: Visit[] = [];
      for (let i = 0; i < runs; i++) seen.push(await visit(browser, screen.work));
      const ms = seen.map((v) => v.ms);
      rows.push(
        `| ${screen.name} | ${kb(median(seen.map((v) => v.bytes)))} in ${seen[0]!.files} responses | ` +
          `${median(ms).toFixed(0)} ms (${Math.min(...ms).toFixed(0)}–${Math.max(...ms).toFixed(0)}) |`,
      );
      console.log(rows[rows.length - 1]);
    }
  } finally {
    await browser.close();
    await stopProcess(service);
  }
  const load = os
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(" ");
  writeFileSync(
    new URL("./CONSOLE.md", import.meta.url),
    `# Web console: first visit

\`npx tsx bench/console.ts -- --runs ${runs}\` on ${new Date().toISOString().slice(0, 10)}, ${os.cpus().length} cores,
load average ${load} at the end; Debian chromium, 1280×900, a new browser context (cold cache, no storage) per visit,
against \`npm start\`'s service (embedded PGlite, demo county) on the same machine. Bytes are what went over the wire
(compressed bodies plus headers, every response of the visit: page, bundles, API answers). Times are the page's
own clock: the sign-in page from navigation start until its button can be pressed; a desk from pressing 登录 until
its first figures show (the county grid includes loading the lazy chart chunk and drawing it). Median of ${runs}
(range).

| screen | transferred | time |
|---|---|---|
${rows.join("\n")}
`,
  );
}

await main();
