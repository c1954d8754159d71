import { ensureConsoleBuilt } from "../shared/consoleBuild.js";

// `npm start` runs this first (prestart): the console is built when it is missing or older than its sources
try {
  ensureConsoleBuilt((line) => console.log(line));
} catch (e) {
  console.error(e instanceof Error ? e.message : String(e));
  process.exit(1);
}
