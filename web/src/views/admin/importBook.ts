import { session } from "../../api/session";

/** The 台账 import's answer (src/app/import/importFile.ts ImportReport), as POST /import sends it. */
export interface ImportReport {
  committed: boolean;
  problems: {
    sheet: string;
    row: number;
    column: string;
    value: string;
    code: string;
    message: { zh: string; en: string };
  }[];
  notices: { sheet: string; ignored: string[] }[];
  sheets: {
    sheet: string;
    read: number;
    created: number;
    unchanged: number;
    refused: number;
    skipped: number;
  }[];
}

export type ImportAnswer = { report: ImportReport } | { error: string; status: number };

async function send(file: Blob, params: URLSearchParams, token: string | null) {
  const headers: Record<string, string> = { "content-type": "application/octet-stream" };
  if (token) headers.authorization = `Bearer ${token}`;
  return fetch(`/import?${params}`, { method: "POST", headers, body: file });
}

/**
 * Sends a workbook (or one CSV sheet) to POST /import: a dry run that reports every problem and writes nothing,
 * or, with `commit`, all or nothing. An expired token is refreshed once, as for GraphQL.
 */
export async function importBook(
  file: Blob,
  opts: { commit: boolean; sheet?: string },
): Promise<ImportAnswer> {
  const params = new URLSearchParams({ commit: String(opts.commit) });
  if (opts.sheet) params.set("sheet", opts.sheet);
  let res = await send(file, params, await session.accessToken());
  if (res.status === 401 && (await session.refresh()))
    res = await send(file, params, await session.accessToken());
  const body = (await res.json().catch(() => null)) as (ImportReport & { error?: string }) | null;
  if ((res.status === 200 || res.status === 422) && body && Array.isArray(body.problems))
    return { report: body };
  return { status: res.status, error: body?.error ?? `HTTP ${res.status}` };
}

/** The six sheets in their English words; the file and the report name them in Chinese. */
export const SHEET_WORDS: Record<string, string> = {
  区划: "Regions",
  人员: "People",
  物资目录: "Catalogue",
  储备点: "Depots",
  储备定额: "Reserve norms",
  库存: "Stock",
};
