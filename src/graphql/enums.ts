import { registerEnumType } from "type-graphql";
import { ITEM_CATEGORIES, TRACKING_MODES } from "../domain/catalogue/item.js";
import { ROLES } from "../domain/custody/roles.js";
import { DEPOT_KINDS, REGION_LEVELS } from "../domain/region/region.js";

/** type-graphql registers enums from objects; the domain keeps them as const lists. */
export function enumObject<const T extends readonly string[]>(values: T): { [K in T[number]]: K } {
  return Object.fromEntries(values.map((v) => [v, v])) as { [K in T[number]]: K };
}

export const RegionLevelEnum = enumObject(REGION_LEVELS);
registerEnumType(RegionLevelEnum, {
  name: "RegionLevel",
  description: "County (县), township (乡镇/街道) or village (村/社区).",
});

export const DepotKindEnum = enumObject(DEPOT_KINDS);
registerEnumType(DepotKindEnum, {
  name: "DepotKind",
  description:
    "County warehouse, township depot, village point, agent storage (代储点) or agreement reserve (协议储备).",
});

export const RoleEnum = enumObject(ROLES);
registerEnumType(RoleEnum, {
  name: "Role",
  description:
    "Depot keeper, township emergency office, county civil affairs / emergency bureau, or auditor.",
});

export const ItemCategoryEnum = enumObject(ITEM_CATEGORIES);
registerEnumType(ItemCategoryEnum, { name: "ItemCategory", description: "What an item is for." });

export const TrackingModeEnum = enumObject(TRACKING_MODES);
registerEnumType(TrackingModeEnum, {
  name: "TrackingMode",
  description:
    "BULK: lots without expiry; LOT: lots with expiry; SERIAL: each unit tracked by serial number.",
});
