import { actorCacheOf } from "../../src/db/actorCache.js";
import { catalogueOf } from "../../src/db/catalogueCache.js";
import type { Database } from "../../src/db/client.js";
import { regionsOf } from "../../src/db/regionCache.js";

/**
 * Empties the service's per-process copies (viewers, catalogue, regions), so the next request reads each once.
 * Statement counts compare requests measured right after this: each pays the same fixed reads, however long the
 * machine takes between them (the viewer copy lasts 5 s, the others a minute).
 */
export function coldCaches(database: Pick<Database, "db">): void {
  actorCacheOf(database.db).clear();
  catalogueOf(database.db).invalidate();
  regionsOf(database.db).clear();
}
