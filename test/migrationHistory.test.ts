import { execFileSync } from "node:child_process";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { checkMigrationHistory, MIGRATIONS_DIR } from "../src/cli/migrationsCheck.js";

// A repository of its own in a temporary folder, shaped like this one: landed migrations, a freeze, then commits.
let repo: string;
let freeze: string;
const git = (...args: string[]) =>
  execFileSync("git", ["-C", repo, ...args], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] }).trim();
const journalFile = () => path.join(repo, MIGRATIONS_DIR, "meta/_journal.json");
const entry = (idx: number, tag: string, when: number) => ({
  idx,
  version: "7",
  when,
  tag,
  breakpoints: true,
});

async function writeJournal(entries: object[]) {
  await writeFile(journalFile(), JSON.stringify({ version: "7", dialect: "postgresql", entries }, null, 2));
}
async function write(file: string, text: string) {
  await writeFile(path.join(repo, MIGRATIONS_DIR, file), text);
}
function commit(message: string) {
  git("add", "-A");
  git("commit", "-q", "-m", message);
  return git("rev-parse", "HEAD");
}

beforeEach(async () => {
  repo = await mkdtemp(path.join(tmpdir(), "migration-history-"));
  git("init", "-q", "-b", "main");
  git("config", "user.email", "ci@example.invalid");
  git("config", "user.name", "ci");
  await mkdir(path.join(repo, MIGRATIONS_DIR, "meta"), { recursive: true });
  await write("0000_initial.sql", "CREATE TABLE a (id bigint);");
  await writeJournal([entry(0, "0000_initial", 1000)]);
  freeze = commit("foundation");
  await writeFile(path.join(repo, "README.md"), "after the freeze\n");
  commit("docs");
});
afterEach(() => rm(repo, { recursive: true, force: true }));

describe("landed migrations are history", () => {
  it("a new migration and a journal entry at the end pass", async () => {
    await write("0001_more.sql", "CREATE TABLE b (id bigint);");
    await writeJournal([entry(0, "0000_initial", 1000), entry(1, "0001_more", 2000)]);
    commit("0001");
    expect(checkMigrationHistory(repo, freeze)).toEqual([]);
  });

  it("an edit of a landed migration in a later commit is refused, naming the commit and the file", async () => {
    await write("0000_initial.sql", "CREATE TABLE a (id bigint, b text);");
    const edit = commit("rewrite 0000");
    await writeFile(path.join(repo, "README.md"), "later\n");
    commit("a later commit does not hide it");
    const problems = checkMigrationHistory(repo, freeze);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain(edit.slice(0, 10));
    expect(problems[0]).toContain(`${MIGRATIONS_DIR}/0000_initial.sql was modified`);
  });

  it("a deletion and a rename are refused", async () => {
    git("mv", `${MIGRATIONS_DIR}/0000_initial.sql`, `${MIGRATIONS_DIR}/0000_renamed.sql`);
    commit("rename");
    expect(checkMigrationHistory(repo, freeze).join("\n")).toContain(
      "0000_initial.sql was deleted (or renamed)",
    );
  });

  it("a journal whose earlier entry changed (a new timestamp) is refused", async () => {
    await writeJournal([entry(0, "0000_initial", 1500), entry(1, "0001_more", 2000)]);
    await write("0001_more.sql", "CREATE TABLE b (id bigint);");
    commit("regenerated");
    expect(checkMigrationHistory(repo, freeze).join("\n")).toContain("rewrote entry 0");
  });

  it("an uncommitted edit in the working tree is refused too", async () => {
    await write(
      "0000_initial.sql",
      "-- edited\n" + (await readFile(path.join(repo, MIGRATIONS_DIR, "0000_initial.sql"), "utf8")),
    );
    expect(checkMigrationHistory(repo, freeze)).toEqual([
      `the working tree: ${MIGRATIONS_DIR}/0000_initial.sql was modified; a landed migration is never changed, add a new one`,
    ]);
  });

  it("a merge brings a branch's migration in as one addition on main's line", async () => {
    git("checkout", "-q", "-b", "feature");
    await write("0001_more.sql", "CREATE TABLE b (id bigint);");
    await writeJournal([entry(0, "0000_initial", 1000), entry(1, "0001_more", 2000)]);
    commit("feature migration");
    git("checkout", "-q", "main");
    git("merge", "-q", "--no-ff", "-m", "merge feature", "feature");
    expect(checkMigrationHistory(repo, freeze)).toEqual([]);
  });

  it("this repository's own history passes from the freeze", () => {
    expect(checkMigrationHistory(path.resolve(import.meta.dirname, ".."))).toEqual([]);
  });
});
