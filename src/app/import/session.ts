import { createHash } from "node:crypto";
import type { Executor } from "../../db/client.js";
import type { Actor } from "../../domain/custody/actor.js";
import type { ImportProblem } from "../../domain/import/problems.js";
import { problemAt } from "../../domain/import/rows.js";
import type { SheetName } from "../../domain/import/sheets.js";
import { isDomainError } from "../../domain/shared/errors.js";
import type { AppDeps } from "../deps.js";

export type Outcome = "created" | "unchanged" | "refused" | "skipped";

export interface SheetSummary {
  sheet: string;
  read: number;
  created: number;
  unchanged: number;
  refused: number;
  /** Rows not tried because a row they name was refused. */
  skipped: number;
}

/** A use case's input field, said as the sheet's column. */
const COLUMN_OF_FIELD: Record<string, string> = {
  parentId: "parentCode",
  parent: "parentCode",
  regionId: "regionCode",
  region: "regionCode",
  depotId: "depotCode",
  itemId: "itemCode",
  unitCode: "unit",
  userId: "keepers",
  travelMinutes: "neighbours",
  neighbourId: "neighbours",
};

/**
 * One import inside its outer transaction: the use cases run with the transaction as their database, so each one's
 * own transaction becomes a savepoint of it (a refused row undoes only itself and the rest goes on), and every
 * replayed idempotency key is heard, which is how a row already imported counts as unchanged.
 */
export class ImportSession {
  readonly deps: AppDeps;
  readonly problems: ImportProblem[] = [];
  readonly summaries = new Map<SheetName, SheetSummary>();
  private replayed = false;
  private occurrences = new Map<string, number>();

  constructor(
    outer: AppDeps,
    readonly tx: Executor,
    readonly actor: Actor,
    readonly countyId: number,
    readonly onProgress?: (sheet: string, done: number, total: number) => void,
  ) {
    this.deps = {
      ...outer,
      database: { ...outer.database, db: tx },
      observer: {
        idempotentReplay: () => {
          this.replayed = true;
        },
        ledgerLinesWritten: () => {},
      },
    };
  }

  summary(sheet: SheetName, zh: string): SheetSummary {
    let s = this.summaries.get(sheet);
    if (!s) {
      s = { sheet: zh, read: 0, created: 0, unchanged: 0, refused: 0, skipped: 0 };
      this.summaries.set(sheet, s);
    }
    return s;
  }

  /**
   * The idempotency key of a row, from what it says (not where it stands), so the same file imported again
   * replays, and rows added to it are the only new keys; identical rows are told apart by their occurrence.
   */
  keyOf(sheet: SheetName, what: string, content: unknown): string {
    const hash = createHash("sha256").update(JSON.stringify(content)).digest("hex").slice(0, 40);
    const base = `import:${sheet}:${what}:${hash}`;
    const n = (this.occurrences.get(base) ?? 0) + 1;
    this.occurrences.set(base, n);
    return `${base}:${n}`;
  }

  /** Runs one use case for a row; a refusal becomes the row's problem, anything else ends the import. */
  async attempt<T>(
    sheet: SheetName,
    row: number,
    fallbackColumn: string,
    value: string,
    work: () => Promise<T>,
  ): Promise<{ outcome: "created" | "unchanged"; value: T } | null> {
    // embedded PGlite answers from this thread without yielding: a turn of the event loop per row keeps /readyz
    // and /healthz answering during a long import (the first start's demo county)
    await new Promise((resolve) => setImmediate(resolve));
    this.replayed = false;
    try {
      const result = await work();
      return { outcome: this.replayed ? "unchanged" : "created", value: result };
    } catch (e) {
      if (!isDomainError(e)) throw e;
      const field = e.field?.at(-1) ?? "";
      const column = COLUMN_OF_FIELD[field] ?? (field || fallbackColumn);
      this.problems.push(problemAt(sheet, row, column, value, e.code, e.message));
      return null;
    }
  }

  count(sheet: SheetName, outcome: Outcome): void {
    const s = this.summaries.get(sheet)!;
    s[outcome] += 1;
  }

  progress(sheet: string, done: number, total: number): void {
    this.onProgress?.(sheet, done, total);
  }
}
