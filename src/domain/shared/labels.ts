import { ITEM_CATEGORIES, TRACKING_MODES, type ItemCategory, type TrackingMode } from "../catalogue/item.js";
import { COVERAGE_STATUSES, type CoverageStatus } from "../coverage/coverage.js";
import { NORM_BASES, type NormBasis } from "../coverage/norm.js";
import { ROLES, type Role } from "../custody/roles.js";
import { READINESS_FINDINGS, type ReadinessFinding } from "../readiness/finding.js";
import { DEPOT_KINDS, REGION_LEVELS, type DepotKind, type RegionLevel } from "../region/region.js";
import {
  PRIORITIES,
  REQUISITION_STATUSES,
  type Priority,
  type RequisitionStatus,
} from "../requisition/requisition.js";
import { LOT_CONDITIONS, type LotCondition } from "../stock/lot.js";
import {
  ISSUE_PURPOSES,
  MOVEMENT_KINDS,
  RECEIPT_SOURCES,
  WRITE_OFF_CAUSES,
  type IssuePurpose,
  type MovementKind,
  type ReceiptSource,
  type WriteOffCause,
} from "../stock/movement.js";

/**
 * What a person reads for each code of the domain's closed lists, in Chinese (the county's language) and English.
 * Spreadsheets are written with these words and read back through `codeOf`, so an exported 台账 re-imports as is;
 * the `Record` types make the compiler refuse a new code without its words.
 */
export type Lang = "zh" | "en";
export type Label = Readonly<Record<Lang, string>>;
export type Labels<C extends string> = Readonly<Record<C, Label>>;

export const MOVEMENT_KIND_LABELS: Labels<MovementKind> = {
  RECEIPT: { zh: "入库", en: "Receipt" },
  ISSUE: { zh: "出库", en: "Issue" },
  TRANSFER_OUT: { zh: "调出", en: "Transfer out" },
  TRANSFER_IN: { zh: "调入", en: "Transfer in" },
  ADJUSTMENT: { zh: "盘点调整", en: "Adjustment" },
  WRITE_OFF: { zh: "报损", en: "Write-off" },
  ROTATION_OUT: { zh: "轮换出库", en: "Rotation out" },
  RETURN: { zh: "归还入库", en: "Return" },
  REVERSAL: { zh: "冲正", en: "Reversal" },
};

export const RECEIPT_SOURCE_LABELS: Labels<ReceiptSource> = {
  PURCHASE: { zh: "采购", en: "Purchase" },
  DONATION: { zh: "捐赠", en: "Donation" },
  TRANSFER: { zh: "调拨", en: "Transfer" },
  AGREEMENT_CALL_UP: { zh: "协议储备调用", en: "Agreement call-up" },
  OPENING_BALANCE: { zh: "期初库存", en: "Opening balance" },
};

export const ISSUE_PURPOSE_LABELS: Labels<IssuePurpose> = {
  FLOOD_FIGHTING: { zh: "抗洪抢险", en: "Flood fighting" },
  DRILL: { zh: "演练", en: "Drill" },
  DISTRIBUTION: { zh: "发放", en: "Distribution" },
  OTHER: { zh: "其他", en: "Other" },
};

export const WRITE_OFF_CAUSE_LABELS: Labels<WriteOffCause> = {
  DAMAGED: { zh: "损坏", en: "Damaged" },
  EXPIRED: { zh: "过期", en: "Expired" },
  LOST: { zh: "丢失", en: "Lost" },
};

export const LOT_CONDITION_LABELS: Labels<LotCondition> = {
  SERVICEABLE: { zh: "完好", en: "Serviceable" },
  QUARANTINED: { zh: "待检", en: "Quarantined" },
  DAMAGED: { zh: "损坏", en: "Damaged" },
  EXPIRED: { zh: "过期", en: "Expired" },
};

export const ITEM_CATEGORY_LABELS: Labels<ItemCategory> = {
  FLOOD_CONTROL: { zh: "防汛物资", en: "Flood control" },
  POWER: { zh: "电力设备", en: "Power" },
  LIFE_SAVING: { zh: "救生器材", en: "Life saving" },
  SHELTER: { zh: "安置帐篷", en: "Shelter" },
  LIGHTING: { zh: "照明设备", en: "Lighting" },
  MEDICAL: { zh: "医疗防疫", en: "Medical" },
  CONSTRUCTION_MATERIAL: { zh: "抢险材料", en: "Construction material" },
  TRANSPORT: { zh: "运输工具", en: "Transport" },
  FOOD: { zh: "食品", en: "Food" },
  DRINKING_WATER: { zh: "饮用水", en: "Drinking water" },
  CLOTHING_BEDDING: { zh: "衣被", en: "Clothing and bedding" },
};

export const TRACKING_MODE_LABELS: Labels<TrackingMode> = {
  BULK: { zh: "散装", en: "Bulk" },
  LOT: { zh: "按批次", en: "By lot" },
  SERIAL: { zh: "按序列号", en: "By serial number" },
};

export const REGION_LEVEL_LABELS: Labels<RegionLevel> = {
  COUNTY: { zh: "县", en: "County" },
  TOWNSHIP: { zh: "乡镇", en: "Township" },
  VILLAGE: { zh: "村", en: "Village" },
};

export const DEPOT_KIND_LABELS: Labels<DepotKind> = {
  COUNTY_WAREHOUSE: { zh: "县级仓库", en: "County warehouse" },
  TOWNSHIP_DEPOT: { zh: "乡镇储备点", en: "Township depot" },
  VILLAGE_POINT: { zh: "村级储备点", en: "Village point" },
  AGENT_STORAGE: { zh: "代储点", en: "Agent storage" },
  AGREEMENT_RESERVE: { zh: "协议储备", en: "Agreement reserve" },
};

export const ROLE_LABELS: Labels<Role> = {
  KEEPER: { zh: "保管员", en: "Keeper" },
  TOWNSHIP_OFFICER: { zh: "乡镇应急办", en: "Township officer" },
  COUNTY_OFFICER: { zh: "县民政/应急局", en: "County officer" },
  AUDITOR: { zh: "审计", en: "Auditor" },
  COUNTY_ADMIN: { zh: "系统管理员", en: "County administrator" },
};

export const NORM_BASIS_LABELS: Labels<NormBasis> = {
  ABSOLUTE: { zh: "定量", en: "Absolute" },
  PER_THOUSAND_RESIDENTS: { zh: "每千人", en: "Per thousand residents" },
};

export const COVERAGE_STATUS_LABELS: Labels<CoverageStatus> = {
  MET: { zh: "达标", en: "Met" },
  LOW: { zh: "不足", en: "Low" },
  CRITICAL: { zh: "严重不足", en: "Critical" },
  NONE: { zh: "无储备", en: "None" },
};

export const PRIORITY_LABELS: Labels<Priority> = {
  ROUTINE: { zh: "常规", en: "Routine" },
  URGENT: { zh: "紧急", en: "Urgent" },
  EMERGENCY: { zh: "特急", en: "Emergency" },
};

export const REQUISITION_STATUS_LABELS: Labels<RequisitionStatus> = {
  DRAFT: { zh: "草稿", en: "Draft" },
  SUBMITTED: { zh: "已提交", en: "Submitted" },
  APPROVED: { zh: "已批准", en: "Approved" },
  PARTIALLY_APPROVED: { zh: "部分批准", en: "Partially approved" },
  REJECTED: { zh: "已驳回", en: "Rejected" },
  IN_TRANSIT: { zh: "在途", en: "In transit" },
  RECEIVED: { zh: "已签收", en: "Received" },
  RETURNED: { zh: "已归还", en: "Returned" },
  CLOSED: { zh: "已关闭", en: "Closed" },
  CANCELLED: { zh: "已取消", en: "Cancelled" },
  ESCALATED: { zh: "已上报县级", en: "Escalated" },
  RECALLED: { zh: "已召回", en: "Recalled" },
};

export const READINESS_FINDING_LABELS: Labels<ReadinessFinding> = {
  EXPIRED: { zh: "已过期", en: "Expired" },
  EXPIRING: { zh: "即将过期", en: "Expiring" },
  TEST_OVERDUE: { zh: "试机逾期", en: "Test run overdue" },
  LOAN_OVERDUE: { zh: "借用逾期", en: "Loan overdue" },
  STALE_COUNT: { zh: "久未盘点", en: "Not counted in time" },
};

/** The word for a code in a language. */
export const labelOf = <C extends string>(labels: Labels<C>, code: C, lang: Lang = "zh"): string =>
  labels[code][lang];

/**
 * The code a person meant: the code itself, its Chinese or its English word (case and surrounding space ignored);
 * null when the text names none of them.
 */
export function codeOf<C extends string>(labels: Labels<C>, text: string): C | null {
  const wanted = text.trim().toLowerCase();
  if (wanted === "") return null;
  for (const code of Object.keys(labels) as C[]) {
    const label = labels[code];
    if (code.toLowerCase() === wanted || label.zh === text.trim() || label.en.toLowerCase() === wanted)
      return code;
  }
  return null;
}

/** Every list above, so a test can hold each one complete and without two codes sharing a word. */
export const ALL_LABELS = {
  MOVEMENT_KINDS: [MOVEMENT_KINDS, MOVEMENT_KIND_LABELS],
  RECEIPT_SOURCES: [RECEIPT_SOURCES, RECEIPT_SOURCE_LABELS],
  ISSUE_PURPOSES: [ISSUE_PURPOSES, ISSUE_PURPOSE_LABELS],
  WRITE_OFF_CAUSES: [WRITE_OFF_CAUSES, WRITE_OFF_CAUSE_LABELS],
  LOT_CONDITIONS: [LOT_CONDITIONS, LOT_CONDITION_LABELS],
  ITEM_CATEGORIES: [ITEM_CATEGORIES, ITEM_CATEGORY_LABELS],
  TRACKING_MODES: [TRACKING_MODES, TRACKING_MODE_LABELS],
  REGION_LEVELS: [REGION_LEVELS, REGION_LEVEL_LABELS],
  DEPOT_KINDS: [DEPOT_KINDS, DEPOT_KIND_LABELS],
  ROLES: [ROLES, ROLE_LABELS],
  NORM_BASES: [NORM_BASES, NORM_BASIS_LABELS],
  COVERAGE_STATUSES: [COVERAGE_STATUSES, COVERAGE_STATUS_LABELS],
  PRIORITIES: [PRIORITIES, PRIORITY_LABELS],
  REQUISITION_STATUSES: [REQUISITION_STATUSES, REQUISITION_STATUS_LABELS],
  READINESS_FINDINGS: [READINESS_FINDINGS, READINESS_FINDING_LABELS],
} as const satisfies Record<string, readonly [readonly string[], Labels<string>]>;
