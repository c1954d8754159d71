import { session } from "../../api/session";
import { lang } from "../../i18n";

export type ExportSheet = "coverage" | "readiness" | "stock" | "ledger";

/**
 * Fetches an XLSX export with the person's bearer token (a plain link would carry none) and hands the file to
 * the browser as a download. Throws with the server's reason when it refuses.
 */
export async function downloadXlsx(sheet: ExportSheet, params: Record<string, string>): Promise<string> {
  const query = new URLSearchParams({ ...params, lang: lang.value });
  const get = async () => {
    const token = await session.accessToken();
    return fetch(`/export/${sheet}.xlsx?${query}`, {
      headers: token ? { authorization: `Bearer ${token}` } : {},
    });
  };
  let res = await get();
  if (res.status === 401 && (await session.refresh())) res = await get();
  if (!res.ok) {
    const body = (await res.json().catch(() => null)) as { error?: string } | null;
    throw new Error(body?.error ?? `HTTP ${res.status}`);
  }
  const name =
    /filename="([^"]+)"/.exec(res.headers.get("content-disposition") ?? "")?.[1] ?? `${sheet}.xlsx`;
  const url = URL.createObjectURL(await res.blob());
  const a = document.createElement("a");
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
  return name;
}
