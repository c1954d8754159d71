import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";

/**
 * Landed migrations are history (decision 26): a database created by an earlier release has already run them, and
 * drizzle's migrator never looks at a migration again once a later one is applied, so an edit reaches nobody who
 * upgrades. From the freeze commit on, every commit of main (its first-parent line) may only add files under
 * src/db/migrations; the journal may only gain entries at its end.
 *
 * The freeze is the commit this check landed on: earlier commits rewrote 0000_initial.sql and the journal's
 * timestamps, which is why databases older than 5eab365 cannot upgrade (README, "Upgrading").
 */
export const FREEZE_COMMIT = "539de13f3084fed58b2b4f2cd885d02bc1398b2b";
export const MIGRATIONS_DIR = "src/db/migrations";
const JOURNAL = `${MIGRATIONS_DIR}/meta/_journal.json`;

interface Journal {
  version?: unknown;
  dialect?: unknown;
  entries?: unknown[];
}

function git(repo: string, args: string[]): string {
  return execFileSync("git", ["-C", repo, ...args], { encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
}

/** The journal may grow at its end; every earlier entry stays as it was, field for field. */
export function journalProblem(before: string, after: string): string | null {
  let old: Journal;
  let now: Journal;
  try {
    old = JSON.parse(before) as Journal;
    now = JSON.parse(after) as Journal;
  } catch {
    return "is not valid JSON";
  }
  if (old.version !== now.version || old.dialect !== now.dialect) return "changed its version or dialect";
  const oldEntries = old.entries ?? [];
  const newEntries = now.entries ?? [];
  if (newEntries.length < oldEntries.length) return "lost entries";
  const changed = oldEntries.findIndex((e, i) => JSON.stringify(e) !== JSON.stringify(newEntries[i]));
  return changed === -1 ? null : `rewrote entry ${changed} (entries may only be added at the end)`;
}

/** What one step (parent → commit, or HEAD → the working tree when `to` is null) did to landed migrations. */
function stepProblems(repo: string, from: string, to: string | null): string[] {
  const range = to ? [from, to] : [from];
  const lines = git(repo, ["diff", "--no-renames", "--name-status", ...range, "--", MIGRATIONS_DIR])
    .split("\n")
    .filter(Boolean);
  const where = to ? to.slice(0, 10) : "the working tree";
  const problems: string[] = [];
  for (const line of lines) {
    const [status, file] = line.split("\t") as [string, string];
    if (status === "A") continue;
    if (file === JOURNAL && status === "M") {
      const after = to ? git(repo, ["show", `${to}:${file}`]) : readFileSync(path.join(repo, file), "utf8");
      const problem = journalProblem(git(repo, ["show", `${from}:${file}`]), after);
      if (problem) problems.push(`${where}: ${file} ${problem}`);
      continue;
    }
    const verb = status === "D" ? "deleted (or renamed)" : "modified";
    problems.push(`${where}: ${file} was ${verb}; a landed migration is never changed, add a new one`);
  }
  return problems;
}

/**
 * Every first-parent commit after `freeze` up to HEAD, then the uncommitted working tree, checked against its
 * parent. Answers the problems found, empty when history is intact.
 */
export function checkMigrationHistory(repo: string, freeze: string = FREEZE_COMMIT): string[] {
  try {
    git(repo, ["merge-base", "--is-ancestor", freeze, "HEAD"]);
  } catch {
    return [`the freeze commit ${freeze} is not in HEAD's history (a shallow clone? fetch the full history)`];
  }
  const commits = git(repo, ["rev-list", "--first-parent", "--reverse", `${freeze}..HEAD`])
    .split("\n")
    .filter(Boolean);
  const problems = commits.flatMap((c) => stepProblems(repo, `${c}^1`, c));
  return [...problems, ...stepProblems(repo, "HEAD", null)];
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const root = git(process.cwd(), ["rev-parse", "--show-toplevel"]).trim();
  const problems = checkMigrationHistory(root);
  if (problems.length > 0) {
    for (const p of problems) console.error(p);
    process.exit(1);
  }
  console.log(`landed migrations unchanged since ${FREEZE_COMMIT.slice(0, 7)}`);
}
