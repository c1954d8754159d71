import type { IncomingMessage, ServerResponse } from "node:http";
import { exportCoverage } from "./exportCoverage.js";
import { exportLedger } from "./exportLedger.js";
import { exportReadiness } from "./exportReadiness.js";
import type { ExportEnv } from "./exportRequest.js";
import { exportStock } from "./exportStock.js";

type ExportHandler = (req: IncomingMessage, res: ServerResponse, url: URL, env: ExportEnv) => Promise<void>;

const BY_NAME: Record<string, ExportHandler> = {
  ledger: exportLedger,
  stock: exportStock,
  coverage: exportCoverage,
  readiness: exportReadiness,
};

/** Every export at /export/<name>.csv and, beside it, its XLSX twin at /export/<name>.xlsx. */
export const EXPORTS: ReadonlyMap<string, ExportHandler> = new Map(
  Object.entries(BY_NAME).flatMap(([name, handler]) => [
    [`/export/${name}.csv`, handler],
    [`/export/${name}.xlsx`, handler],
  ]),
);
