import { readFile, writeFile } from "node:fs/promises";
import { printedSchema } from "../graphql/schema.js";

// `npm run schema:emit` writes schema.graphql; `npm run schema:check` fails when it differs from the code.
const file = new URL("../../schema.graphql", import.meta.url);
const schema = await printedSchema();
if (process.argv.includes("--check")) {
  const committed = await readFile(file, "utf8").catch(() => "");
  if (committed !== schema) {
    console.error("schema.graphql is out of date: run `npm run schema:emit` and commit it");
    process.exit(1);
  }
  console.log("schema.graphql matches the code");
} else {
  await writeFile(file, schema);
  console.log("wrote schema.graphql");
}
