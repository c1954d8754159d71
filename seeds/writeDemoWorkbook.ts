import { writeFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { DEMO_WORKBOOK, writeDemoWorkbook } from "./demoWorkbook.js";

// `npm run seed:workbook`: seeds/demo-county.ts is what a reviewer reads, the workbook is what first start imports.
// Commit both; test/importDemoWorkbook.test.ts fails when one changed without the other.
await writeFile(DEMO_WORKBOOK, await writeDemoWorkbook());
console.log(`wrote ${fileURLToPath(DEMO_WORKBOOK)}`);
