import { GraphQLError } from "graphql";
import type { CountyKey } from "../db/keys.js";
import { DomainError } from "../domain/shared/errors.js";

/**
 * Global IDs are opaque to clients: base64url of "Type:countyId:id" for county-scoped rows (so any replica or
 * shard can route them) and "Type:id" for catalogue and users.
 */
const NODE_TYPE_LIST = [
  "Region",
  "Depot",
  "Item",
  "User",
  "Lot",
  "Movement",
  "StockTake",
  "WriteOffRequest",
  "Rotation",
  "Requisition",
  "RequisitionLine",
  "Discrepancy",
  "Agreement",
  "Vehicle",
  "CallUp",
  "Emergency",
  "EmergencyPaperwork",
] as const;
export type NodeType = (typeof NODE_TYPE_LIST)[number];
const NODE_TYPES = new Set<string>(NODE_TYPE_LIST);

export function toGlobalId(type: NodeType, key: CountyKey | number): string {
  const raw = typeof key === "number" ? `${type}:${key}` : `${type}:${key.countyId}:${key.id}`;
  return Buffer.from(raw, "utf8").toString("base64url");
}

export interface DecodedId {
  type: NodeType;
  countyId: number | null;
  id: number;
}

export function fromGlobalId(globalId: string): DecodedId | null {
  const parts = Buffer.from(globalId, "base64url").toString("utf8").split(":");
  const [type, ...nums] = parts;
  if (!type || !NODE_TYPES.has(type) || nums.length < 1 || nums.length > 2) return null;
  if (!nums.every((n) => /^[1-9]\d{0,15}$/.test(n))) return null;
  const values = nums.map(Number);
  return {
    type: type as NodeType,
    countyId: values.length === 2 ? values[0]! : null,
    id: values[values.length - 1]!,
  };
}

/** Decodes an ID argument of a known type, or refuses the request as bad input naming the argument. */
export function expectCountyKey(globalId: string, type: NodeType, argument: string): CountyKey {
  const d = fromGlobalId(globalId);
  if (!d || d.type !== type || d.countyId === null) throw badId(type, argument);
  return { countyId: d.countyId, id: d.id };
}

export function expectPlainId(globalId: string, type: NodeType, argument: string): number {
  const d = fromGlobalId(globalId);
  if (!d || d.type !== type || d.countyId !== null) throw badId(type, argument);
  return d.id;
}

/**
 * The county a Region ID names. A township's or village's ID is not a county: NOT_FOUND, like a county that
 * does not exist (in a mutation's payload, or at the top level of a question).
 */
export function expectCounty(globalId: string, argument: string): number {
  const key = expectCountyKey(globalId, "Region", argument);
  if (key.id !== key.countyId) throw notFound("no such county", argument);
  return key.countyId;
}

/**
 * The row an ID names inside a county already decided (the depot's, the requisition's, the stock-take's). An ID
 * of another county names no row here: NOT_FOUND, never the row of this county with the same number.
 */
export function expectIdIn(countyId: number, globalId: string, type: NodeType, argument: string): number {
  const key = expectCountyKey(globalId, type, argument);
  if (key.countyId !== countyId) throw notFound(`${type} not found`, argument);
  return key.id;
}

/** Both IDs of one county, or NOT_FOUND on the second. */
export function expectSameCounty(
  first: CountyKey,
  second: CountyKey,
  argument: string,
  what: string,
): CountyKey {
  if (first.countyId !== second.countyId) throw notFound(`${what} not found`, argument);
  return second;
}

// the payload names the field below the input ("input.lines.0.lineId" → lines.0.lineId)
const notFound = (message: string, argument: string) =>
  new DomainError("NOT_FOUND", message, argument.split(".").slice(argument.startsWith("input.") ? 1 : 0));

function badId(type: NodeType, argument: string): GraphQLError {
  return new GraphQLError(`${argument} is not a valid ${type} ID`, {
    extensions: { code: "BAD_USER_INPUT", argument },
  });
}
