import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../..", import.meta.url));
const BUILT = ["web/dist/index.html", "web/graphiql/dist/index.html"].map((f) => path.join(root, f));
// what the bundle is made of: the console's sources, the schema its client is typed from, the domain it imports
const SOURCES = [
  "web/src",
  "web/index.html",
  "web/vite.config.ts",
  "web/codegen.ts",
  "schema.graphql",
  "src/domain",
];

function newest(p: string): number {
  if (!existsSync(p)) return 0;
  const info = statSync(p);
  if (!info.isDirectory()) return info.mtimeMs;
  return Math.max(
    0,
    ...readdirSync(p)
      .filter((name) => name !== "gql" && name !== "dist")
      .map((name) => newest(path.join(p, name))),
  );
}

/**
 * Builds the web console when web/dist is missing or older than anything it is built from, so a fresh clone or
 * a pull shows the current console without a separate step (`npm start`, the test suite). Where the build tools
 * were not installed (npm ci --omit=dev) an existing build is served as it is. Returns what it did.
 */
export function ensureConsoleBuilt(log: (line: string) => void): "fresh" | "built" | "stale" | "missing" {
  const builtAt = Math.min(...BUILT.map((f) => (existsSync(f) ? statSync(f).mtimeMs : 0)));
  if (builtAt >= Math.max(...SOURCES.map((s) => newest(path.join(root, s))))) return "fresh";
  if (!existsSync(path.join(root, "node_modules/vite"))) {
    log(
      builtAt > 0
        ? "web/dist is older than web/src, but the build tools are not installed: serving the older console"
        : "the web console is not built and the build tools are not installed: run `npm ci` and `npm run web:build`",
    );
    return builtAt > 0 ? "stale" : "missing";
  }
  log(builtAt > 0 ? "web console is out of date: building it" : "building the web console");
  const run = spawnSync("npm", ["run", "-s", "web:build"], { cwd: root, stdio: "inherit" });
  if (run.status !== 0) throw new Error(`npm run web:build failed (exit ${run.status ?? run.signal})`);
  return "built";
}
