import { mkdirSync, readFileSync, unlinkSync, writeFileSync } from "node:fs";
import path from "node:path";

/** A second process on a data folder that a live process holds. */
export class DataDirInUse extends Error {
  override name = "DataDirInUse";
}

export interface DataDirLock {
  /** Removes the lock file if it is still ours; safe to call twice. */
  release(): void;
}

export const LOCK_FILE = "reserve-ledger.lock";

/** True while a process with this pid exists (EPERM: it exists but belongs to another user). */
function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

function holderOf(file: string): number | null {
  try {
    const pid = Number.parseInt(readFileSync(file, "utf8"), 10);
    return Number.isInteger(pid) && pid > 0 ? pid : null;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw e;
  }
}

function removeIfHeldBy(file: string, pid: number | null): void {
  if (holderOf(file) !== pid) return;
  try {
    unlinkSync(file);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== "ENOENT") throw e;
  }
}

/**
 * One writer per embedded data folder: PGlite has no lock of its own, and two processes on one folder hand out the
 * same ledger ids and lose acknowledged writes. The lock file holds the owner's pid; it is created exclusively
 * ('wx'), so of two starting processes only one wins. A file left by a killed process (its pid is gone, or is
 * our own pid reused in a fresh container) is stale and taken over.
 */
export function lockDataDir(dir: string): DataDirLock {
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, LOCK_FILE);
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      writeFileSync(file, `${process.pid}\n`, { flag: "wx" });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
      const holder = holderOf(file);
      if (holder !== null && holder !== process.pid && isAlive(holder)) {
        throw new DataDirInUse(`the data folder ${dir} is in use by process ${holder}`);
      }
      // a half-written file (holder null) is only possible from a process killed between create and write
      removeIfHeldBy(file, holder);
      continue;
    }
    const release = () => removeIfHeldBy(file, process.pid);
    // the exit hook covers process.exit paths that skip close(); a SIGKILL leaves a stale file, handled above
    process.once("exit", release);
    return {
      release() {
        release();
        process.off("exit", release);
      },
    };
  }
  throw new DataDirInUse(`the data folder ${dir} is in use: its lock file ${file} keeps changing`);
}
