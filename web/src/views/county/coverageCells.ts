import type { CoverageStatus } from "../../gql/graphql";
import type { MapRow } from "./countyData";

/** A cell's class: one of the service's statuses, or NO_NORM when the township has no norm for the item. */
export type CellClass = CoverageStatus | "NO_NORM";

/** Worst last, so the legend reads from good to bad. */
export const CELL_CLASSES: CellClass[] = ["MET", "LOW", "CRITICAL", "NONE", "NO_NORM"];

export const CELL_COLOURS: Record<CellClass, string> = {
  MET: "#2da44e",
  LOW: "#d4a72c",
  CRITICAL: "#e5534b",
  NONE: "#82071e",
  NO_NORM: "#e6e9ee",
};

/** Text that stays readable on each colour. */
export const CELL_INK: Record<CellClass, string> = {
  MET: "#fff",
  LOW: "#1d2733",
  CRITICAL: "#fff",
  NONE: "#fff",
  NO_NORM: "#5f6b7a",
};

export const cellClass = (status: CoverageStatus | null | undefined): CellClass => status ?? "NO_NORM";

/** usable ÷ required as a person reads it: a whole percentage, "—" without a norm. */
export const percent = (ratio: number | null | undefined): string =>
  ratio == null ? "—" : `${Math.round(ratio * 100)}%`;

/** The grid's columns: every item of any row, in the order the service gives them. */
export function columnsOf(rows: MapRow[]): MapRow["cells"][number]["item"][] {
  const seen = new Map<string, MapRow["cells"][number]["item"]>();
  for (const r of rows) for (const c of r.cells) if (!seen.has(c.item.id)) seen.set(c.item.id, c.item);
  return [...seen.values()];
}

/** The fixed layout of the heat grid (pixels), shared by the chart and the page that sizes its box. */
export const GRID = { left: 132, right: 12, top: 56, bottom: 12, cellWidth: 76, cellHeight: 38 };
