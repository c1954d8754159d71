import type { NormLine } from "../../domain/import/rows.js";
import { setReserveNorm } from "../coverage/setReserveNorm.js";
import { type Blocked, blockKey, idsOf } from "./apply.js";
import type { ImportSession } from "./session.js";

/**
 * 储备定额 through the norm use case, as the administrator opening the county's books (openingBooks): the same
 * checks, audit line and floors on the regions' own depots as when the county sets a norm through the API.
 */
export async function applyNorms(
  s: ImportSession,
  lines: NormLine[],
  blocked: Blocked,
  refusedRegions: Set<string>,
  refusedItems: Set<string>,
): Promise<void> {
  const ids = await idsOf(s);
  for (const [done, n] of lines.entries()) {
    s.progress("储备定额", done, lines.length);
    const own = blocked.has(blockKey("NORMS", n.row));
    const itemId = ids.items.get(n.itemCode);
    const regionId = n.regionCode === "" ? null : ids.regions.get(n.regionCode);
    if (own || refusedItems.has(n.itemCode) || refusedRegions.has(n.regionCode)) {
      s.count("NORMS", own ? "refused" : "skipped");
      continue;
    }
    if (itemId === undefined || regionId === undefined || !n.basis || !n.quantity) {
      s.count("NORMS", "skipped");
      continue;
    }
    const { row: _row, ...content } = n;
    const input = {
      countyId: s.countyId,
      itemId,
      regionId,
      level: regionId === null ? n.level : null,
      basis: n.basis,
      quantity: n.quantity,
      reserveFloor: n.reserveFloor,
      openingBooks: true,
      idempotencyKey: s.keyOf("NORMS", "norm", content),
    };
    const made = await s.attempt("NORMS", n.row, "quantity", n.quantity, () =>
      setReserveNorm(s.deps, s.actor, input),
    );
    s.count("NORMS", made?.outcome ?? "refused");
  }
}
