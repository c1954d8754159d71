import { type ChildProcess, spawn } from "node:child_process";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "../..");

/** The service as an operator runs it: its own process, `node --import tsx src/main.ts`, stopped by signals. */
export interface ServiceProcess {
  child: ChildProcess;
  /** Resolves with the exit status (or the signal that ended it). */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  stdout: () => string;
  stderr: () => string;
  /** http://127.0.0.1:port once the server listens (health answers; readiness may not yet). */
  base: () => Promise<string>;
}

export function spawnService(env: Record<string, string>): ServiceProcess {
  const child = spawn(process.execPath, ["--import", "tsx", "src/main.ts"], {
    cwd: root,
    env: { PATH: process.env.PATH ?? "", PORT: "0", HOST: "127.0.0.1", LOG_LEVEL: "info", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  let err = "";
  child.stdout!.on("data", (b: Buffer) => (out += b.toString("utf8")));
  child.stderr!.on("data", (b: Buffer) => (err += b.toString("utf8")));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once("exit", (code, signal) => resolve({ code, signal })),
  );
  return {
    child,
    exited,
    stdout: () => out,
    stderr: () => err,
    base: () => listening(env, () => out, exited),
  };
}

/** The port: from the environment, or from the "listening" log line when PORT=0. */
async function listening(
  env: Record<string, string>,
  out: () => string,
  exited: Promise<unknown>,
): Promise<string> {
  let gone = false;
  void exited.then(() => (gone = true));
  for (let i = 0; i < 1200; i++) {
    const port = env.PORT && env.PORT !== "0" ? env.PORT : /"port":(\d+)/.exec(out())?.[1];
    if (port) return `http://127.0.0.1:${port}`;
    if (gone) throw new Error(`the service exited before listening: ${out()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error("the service did not listen within 60 s");
}

/** Polls until `path` answers `status`. */
export async function waitFor(base: string, path: string, status = 200, timeoutMs = 120_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    const res = await fetch(base + path).catch(() => null);
    if (res?.status === status) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${path} did not answer ${status} within ${timeoutMs} ms`);
}
