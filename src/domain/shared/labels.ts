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
import { DOMAIN_ERROR_CODES, type DomainErrorCode } from "./errors.js";
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
  PAPERWORK_OVERDUE: { zh: "应急补办手续逾期", en: "Emergency paperwork overdue" },
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

/** What a refusal says to a person, by its code; the server's own message adds the particulars. */
export const DOMAIN_ERROR_LABELS: Labels<DomainErrorCode> = {
  NOT_FOUND: { zh: "找不到该记录，或您无权查看", en: "Not found, or not yours to see" },
  INVALID_INPUT: { zh: "填写的内容有误", en: "Something entered is not valid" },
  INVALID_QUANTITY: {
    zh: "数量不正确（超出允许的数量或不符合计量单位）",
    en: "The quantity is not allowed here",
  },
  INSUFFICIENT_STOCK: { zh: "可用库存不足", en: "Not enough usable stock" },
  LOT_NOT_ISSUABLE: {
    zh: "该批次不可出库（过期、隔离、损坏或已被占用）",
    en: "That lot cannot be issued (expired, quarantined, damaged or allocated)",
  },
  RESERVE_FLOOR: { zh: "会低于最低储备量", en: "It would go below the reserve floor" },
  SELF_APPROVAL: { zh: "不能审批自己提交的申请", en: "You cannot approve your own request" },
  REPEAT_APPROVAL: { zh: "同一人不能审批两次", en: "One person cannot approve twice" },
  SELF_RECEIPT: { zh: "发运人不能确认自己发运的接收", en: "Whoever dispatched cannot confirm the receipt" },
  SELF_CONFIRMATION: {
    zh: "申请报损的人不能自己确认",
    en: "Whoever asked for the write-off cannot confirm it",
  },
  INVALID_TRANSITION: { zh: "当前状态下不能进行此操作", en: "Not possible in the current state" },
  ROUTE_NOT_ALLOWED: { zh: "这两地之间不能调拨", en: "No transfers are allowed between these places" },
  CHANGE_FROM_QUANTITY_STALE: {
    zh: "库存已被他人改动，请刷新后重试",
    en: "The stock changed meanwhile: reload and try again",
  },
  IDEMPOTENCY_KEY_PARAMETER_MISMATCH: {
    zh: "同一笔记录被以不同内容重复提交",
    en: "The same entry was sent again with different content",
  },
  RELEASE_ORDER_REQUIRED: {
    zh: "代储物资出库需要动用令号",
    en: "Agent storage needs a release order number",
  },
  EXPIRED_ON_RECEIPT: { zh: "入库时已过期", en: "Already expired on receipt" },
  DUPLICATE: { zh: "已存在相同的记录", en: "Such a record already exists" },
  INVALID_CREDENTIALS: { zh: "用户名或密码错误", en: "Wrong username or password" },
  TOO_MANY_ATTEMPTS: { zh: "尝试次数过多，请稍后再试", en: "Too many attempts: try again later" },
  WEAK_PASSWORD: { zh: "密码太弱", en: "The password is too weak" },
  SESSION_EXPIRED: { zh: "登录已过期，请重新登录", en: "The session has expired: sign in again" },
  LAST_ADMINISTRATOR: { zh: "不能移除最后一位管理员", en: "The last administrator cannot be removed" },
  SELF_ADMINISTRATION: { zh: "不能对自己的账号执行此操作", en: "Not on your own account" },
  DIVISION_CODE_NOT_UNDER_PARENT: {
    zh: "区划代码不在上级区划之下",
    en: "The division code is not under its parent's",
  },
  DEPOT_CLOSED: { zh: "该储备点已关闭", en: "The depot is closed" },
  DEPOT_HOLDS_STOCK: { zh: "储备点仍有库存", en: "The depot still holds stock" },
  DEPOT_HAS_ALLOCATIONS: { zh: "储备点仍有被占用的库存", en: "The depot still has allocated stock" },
  DEPOT_HAS_OPEN_REQUISITIONS: {
    zh: "储备点仍有未完成的调拨申请",
    en: "The depot still has open requisitions",
  },
  DEPOT_HAS_OPEN_LOANS: { zh: "储备点仍有未归还的借用", en: "The depot still has open loans" },
  DEPOT_HAS_OPEN_STOCK_TAKE: { zh: "储备点正在盘点", en: "The depot has a stock-take open" },
  ITEM_RETIRED: { zh: "该物资已停用", en: "The item is retired" },
  VEHICLE_BUSY: { zh: "该车辆正在执行运输任务", en: "The vehicle is already on a journey" },
  VEHICLE_OUT_OF_SERVICE: { zh: "该车辆已停用", en: "The vehicle is out of service" },
  AGREEMENT_NOT_IN_FORCE: { zh: "协议不在有效期内或已终止", en: "The agreement is not in force" },
  NOT_IN_AGREEMENT: { zh: "协议中没有该物资", en: "The agreement does not cover this item" },
  AGREEMENT_EXCEEDED: { zh: "超出协议剩余可调用数量", en: "More than the agreement has left" },
  CALL_UP_OVER_DELIVERY: { zh: "送货数量超过调用单未交数量", en: "More than the call-up has outstanding" },
  NO_ACTIVE_EMERGENCY: {
    zh: "该储备点所在地区没有生效的应急响应，不能先出库后补手续",
    en: "No declared emergency covers this depot now",
  },
  UNAUTHENTICATED: { zh: "请先登录", en: "Sign in first" },
  FORBIDDEN: { zh: "您无权进行此操作", en: "You may not do this" },
};

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
  DOMAIN_ERROR_CODES: [DOMAIN_ERROR_CODES, DOMAIN_ERROR_LABELS],
} as const satisfies Record<string, readonly [readonly string[], Labels<string>]>;
