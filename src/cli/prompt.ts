import { ConfigError } from "../config.js";

/** One line from the terminal without echoing it, or the first line of whatever is piped in. */
export async function readPassword(prompt: string): Promise<string> {
  const stdin = process.stdin;
  if (!stdin.isTTY) {
    const chunks: Buffer[] = [];
    for await (const chunk of stdin) chunks.push(chunk as Buffer);
    return (Buffer.concat(chunks).toString("utf8").split(/\r?\n/)[0] ?? "").trimEnd();
  }
  process.stderr.write(prompt);
  stdin.setRawMode(true);
  stdin.resume();
  // a data listener, not for-await: leaving a for-await loop destroys stdin, and the confirmation reads it again
  return new Promise<string>((resolve, reject) => {
    let typed = "";
    const done = (finish: () => void) => {
      stdin.off("data", onData);
      stdin.setRawMode(false);
      stdin.pause();
      process.stderr.write("\n");
      finish();
    };
    const onData = (chunk: Buffer) => {
      for (const ch of chunk.toString("utf8")) {
        if (ch === "\r" || ch === "\n") return done(() => resolve(typed));
        if (ch === "\u0003") return done(() => reject(new ConfigError("cancelled; nothing was written")));
        typed = ch === "\u007f" || ch === "\b" ? typed.slice(0, -1) : typed + ch;
      }
    };
    stdin.on("data", onData);
  });
}
