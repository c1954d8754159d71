import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";

/** Starts a variant as its own process (so it does not share the load generator's event loop) and waits for it. */
export async function startProcess(
  name: string,
  command: string,
  args: string[],
  env: Record<string, string>,
  readyUrl: string,
): Promise<ChildProcess> {
  // something already answering there (a variant left over from another run) would be measured in its place
  const stale = await fetch(readyUrl).then(
    () => true,
    () => false,
  );
  if (stale)
    throw new Error(`${name}: ${new URL(readyUrl).host} already answers; stop whatever listens there`);
  const child = spawn(command, args, {
    env: { ...process.env, ...env },
    stdio: ["ignore", "ignore", "pipe"],
  });
  let stderr = "";
  child.stderr?.on("data", (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${name} exited with ${child.exitCode}: ${stderr}`);
    try {
      const res = await fetch(readyUrl);
      if (res.status < 500) return child;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  child.kill("SIGTERM");
  throw new Error(`${name} did not become ready within 60 s: ${stderr}`);
}

export async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((r) => child.once("exit", r));
  child.kill("SIGTERM");
  await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
  if (child.exitCode === null) child.kill("SIGKILL");
}

const TICKS_PER_SECOND = 100; // USER_HZ, the unit of /proc/<pid>/stat on Linux (getconf CLK_TCK)

/** The processes started by `pid`, itself first: a variant started through a shell counts with its children. */
function tree(pid: number): number[] {
  const out = [pid];
  for (let i = 0; i < out.length; i++) {
    try {
      for (const tid of readdirSync(`/proc/${out[i]}/task`)) {
        const children = readFileSync(`/proc/${out[i]}/task/${tid}/children`, "utf8").trim();
        if (children) out.push(...children.split(/\s+/).map(Number));
      }
    } catch {
      // gone meanwhile
    }
  }
  return out;
}

/**
 * CPU time a variant has used so far (user + system, in milliseconds, its child processes included), read from
 * /proc: the cost of a request on its own process, which p50 on two shared cores mostly hides behind queueing.
 * Null where /proc is not there to say.
 */
export function cpuMsOf(child: ChildProcess): number | null {
  if (!child.pid || !existsSync(`/proc/${child.pid}/stat`)) return null;
  let ticks = 0;
  for (const pid of tree(child.pid)) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
      // the command name may hold spaces and parentheses: the fields after it start past the last ')'
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      ticks += Number(fields[11]) + Number(fields[12]); // utime, stime (fields 14 and 15 of stat)
    } catch {
      // gone meanwhile
    }
  }
  return (ticks * 1000) / TICKS_PER_SECOND;
}
