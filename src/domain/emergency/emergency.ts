/**
 * Response levels of a declared emergency (应急响应级别): LEVEL_I (Ⅰ级) is the gravest, LEVEL_IV (Ⅳ级) the
 * lightest, as the national emergency plans number them.
 */
export const EMERGENCY_LEVELS = ["LEVEL_I", "LEVEL_II", "LEVEL_III", "LEVEL_IV"] as const;
export type EmergencyLevel = (typeof EMERGENCY_LEVELS)[number];

/**
 * Paperwork owed after acting first (先处置后补手续): open until the office approves it after the fact or
 * contests it.
 */
export const PAPERWORK_STATUSES = ["OPEN", "APPROVED", "CONTESTED"] as const;
export type PaperworkStatus = (typeof PAPERWORK_STATUSES)[number];
