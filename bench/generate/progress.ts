const WIDTH = 30;

/** A one-line progress bar per step on stderr, so stdout keeps only the summary a script may parse. */
export class Progress {
  private name = "";
  private started = 0;
  private readonly runStarted = performance.now();
  readonly timings: { step: string; seconds: number }[] = [];

  constructor(private readonly out: NodeJS.WriteStream = process.stderr) {}

  start(name: string): void {
    this.name = name;
    this.started = performance.now();
    this.draw(0);
  }

  /** `fraction` of the current step is done. */
  update(fraction: number): void {
    this.draw(Math.min(1, Math.max(0, fraction)));
  }

  finish(note = ""): void {
    const seconds = (performance.now() - this.started) / 1000;
    this.timings.push({ step: this.name, seconds });
    this.draw(1, `${seconds.toFixed(1)}s${note ? `  ${note}` : ""}`);
    this.out.write("\n");
  }

  /** Runs `work` as one step. */
  async step<T>(name: string, work: () => Promise<T>, note?: (result: T) => string): Promise<T> {
    this.start(name);
    const result = await work();
    this.finish(note ? note(result) : "");
    return result;
  }

  totalSeconds(): number {
    return (performance.now() - this.runStarted) / 1000;
  }

  private draw(fraction: number, tail = ""): void {
    // a log file (CI) gets one line per finished step, not a redrawn bar
    if (!this.out.isTTY && fraction < 1) return;
    const filled = Math.round(fraction * WIDTH);
    const bar = "#".repeat(filled) + " ".repeat(WIDTH - filled);
    const percent = String(Math.round(fraction * 100)).padStart(3);
    // \x1b[K clears what a longer previous line left behind
    this.out.write(`\r[${bar}] ${percent}% ${this.name}${tail ? `  ${tail}` : ""}\x1b[K`);
  }
}
