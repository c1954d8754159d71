import type { ItemCategory, TrackingMode } from "../../domain/catalogue/item.js";
import type { NormBasis } from "../../domain/coverage/norm.js";
import type { Role } from "../../domain/custody/roles.js";
import type { DepotKind, RegionLevel } from "../../domain/region/region.js";
import type { ReceiptSource } from "../../domain/stock/movement.js";

/**
 * The shape of a seeded world: plain data, loaded by seeds/load.ts through the app's own use cases so every
 * balance has ledger lines. Codes are the stable handles that tie the parts together.
 */
export interface WorldSeed {
  units: { code: string; nameZh: string; nameEn: string; scale: 0 | 1 | 2 | 3 }[];
  items: {
    code: string;
    nameZh: string;
    nameEn: string;
    description: string;
    category: ItemCategory;
    unitCode: string;
    trackingMode: TrackingMode;
    shelfLifeDays?: number;
    rotationLeadDays?: number;
    testRunIntervalDays?: number;
    returnable: boolean;
  }[];
  county: RegionSeed & {
    townships: (RegionSeed & { villages: RegionSeed[] })[];
    /** Mutual-aid links between townships by division code, with travel time. */
    neighbours: { a: string; b: string; travelMinutes: number }[];
  };
  depots: {
    code: string;
    /** Division code of the owning region. */
    regionCode: string;
    kind: DepotKind;
    nameZh: string;
    nameEn: string;
    address: string;
    custodianOrg: string;
    /** Agreement reserves: hours from call-up to delivery. */
    callUpLeadHours?: number;
    /** Usernames of assigned keepers. */
    keepers: string[];
  }[];
  users: {
    username: string;
    displayName: string;
    organisation: string;
    grants: { role: Role; regionCode: string }[];
  }[];
  /** Reserve norms (储备定额): for one region (by division code) or for every region of a level. */
  norms: {
    itemCode: string;
    regionCode?: string;
    level?: RegionLevel;
    basis: NormBasis;
    /** Exact decimal text: units, or units per 1,000 residents. */
    quantity: string;
    reserveFloor?: string;
  }[];
  /** Opening stock, each an ordinary receipt on the ledger. */
  receipts: {
    depotCode: string;
    itemCode: string;
    /** Exact decimal text in the item's unit. */
    quantity: string;
    lotCode: string;
    receivedOn: string;
    expiresOn?: string;
    /** For SERIAL items: one serial number per unit, quantity must equal their count. */
    serialNumbers?: string[];
    source: ReceiptSource;
    reason: string;
    /** Username of the keeper (or officer) who records it. */
    recordedBy: string;
  }[];
}

export interface RegionSeed {
  divisionCode: string;
  nameZh: string;
  nameEn: string;
  level: RegionLevel;
  population: number;
}
