import {
  defaultFieldResolver,
  type GraphQLArgument,
  type GraphQLField,
  type GraphQLInputType,
  GraphQLInputObjectType,
  GraphQLList,
  GraphQLNonNull,
  GraphQLObjectType,
  type GraphQLOutputType,
  type GraphQLSchema,
  isListType,
  isScalarType,
} from "graphql";
import { checkText, type TextKind } from "../domain/shared/text.js";
import { instantInRange, INSTANT_RANGE } from "../domain/shared/calendar.js";
import { badInput } from "./errors.js";

/**
 * The kind of each free-text field or argument, by its name (one name per concept, so a name means the same in
 * every input). A name not listed is a NAME: one line, 200 characters.
 */
const KIND_OF: Record<string, TextKind> = {
  idempotencyKey: "CODE",
  lotCode: "CODE",
  serialNumbers: "CODE",
  serialNumber: "CODE",
  releaseOrderNo: "CODE",
  contractNo: "CODE",
  code: "CODE",
  unitCode: "CODE",
  classificationCode: "CODE",
  divisionCode: "CODE",
  username: "CODE",
  phone: "CODE",
  action: "CODE",
  targetType: "CODE",
  targetKey: "CODE",
  after: "CODE",
  asOf: "CODE",
  validOn: "CODE",
  expiringBefore: "CODE",
  receivedOn: "CODE",
  expiresOn: "CODE",
  performedOn: "CODE",
  returnDueOn: "CODE",
  validFrom: "CODE",
  validUntil: "CODE",
  reason: "NOTE",
  // a delivery note may run over two lines, as people copy it
  reference: "NOTE",
  note: "NOTE",
  description: "NOTE",
  missingReason: "NOTE",
  rejectedReason: "NOTE",
  password: "SECRET",
  currentPassword: "SECRET",
  newPassword: "SECRET",
  refreshToken: "SECRET",
};

interface Problem {
  path: string[];
  message: string;
}

type Walk = (value: unknown, path: string[], name: string) => { value: unknown } | Problem;

/** Checks (and trims in place) one value of an input type; the first problem wins. */
const walk =
  (type: GraphQLInputType): Walk =>
  (value, path, name) => {
    if (value == null) return { value };
    if (type instanceof GraphQLNonNull) return walk(type.ofType)(value, path, name);
    if (type instanceof GraphQLList) return walkList(type.ofType, value, path, name);
    if (type instanceof GraphQLInputObjectType)
      return walkObject(type, value as Record<string, unknown>, path);
    if (isScalarType(type)) return walkScalar(type.name, value, path, name);
    return { value };
  };

function walkList(of: GraphQLInputType, value: unknown, path: string[], name: string) {
  if (!Array.isArray(value)) return walk(of)(value, path, name);
  for (let i = 0; i < value.length; i++) {
    const r = walk(of)(value[i], [...path, String(i)], name);
    if ("path" in r) return r;
    value[i] = r.value;
  }
  return { value };
}

function walkObject(type: GraphQLInputObjectType, value: Record<string, unknown>, path: string[]) {
  for (const field of Object.values(type.getFields())) {
    if (!(field.name in value)) continue;
    const r = walk(field.type)(value[field.name], [...path, field.name], field.name);
    if ("path" in r) return r;
    value[field.name] = r.value;
  }
  return { value };
}

function walkScalar(scalar: string, value: unknown, path: string[], name: string) {
  if (value instanceof Date) {
    if (instantInRange(value)) return { value };
    return { path, message: `${name} must be between ${INSTANT_RANGE.from} and ${INSTANT_RANGE.to}` };
  }
  if (typeof value !== "string" || (scalar !== "String" && scalar !== "ID")) return { value };
  const checked = checkText(value, scalar === "ID" ? "CODE" : (KIND_OF[name] ?? "NAME"));
  return "problem" in checked ? { path, message: `${name} ${checked.problem}` } : { value: checked.text };
}

/** The guard every resolver with arguments passes, for a path that answers without the resolver. */
export function checkArgs(defs: readonly GraphQLArgument[], args: Record<string, unknown>): Problem | null {
  for (const def of defs) {
    if (!(def.name in args)) continue;
    const r = walk(def.type)(args[def.name], [def.name], def.name);
    if ("path" in r) return r;
    args[def.name] = r.value;
  }
  return null;
}

/** A mutation payload: `userErrors` beside every other field empty, as `payload()` answers a refusal. */
function payloadType(type: GraphQLOutputType): GraphQLObjectType | null {
  const t = type instanceof GraphQLNonNull ? type.ofType : type;
  return t instanceof GraphQLObjectType && "userErrors" in t.getFields() ? t : null;
}

function refused(type: GraphQLObjectType, problem: Problem) {
  const out: Record<string, unknown> = {};
  for (const f of Object.values(type.getFields())) {
    const t = f.type instanceof GraphQLNonNull ? f.type.ofType : f.type;
    // a required flag (signOut's signedOut) says no; everything else is empty
    out[f.name] = isListType(t) ? [] : f.type instanceof GraphQLNonNull ? false : null;
  }
  out.userErrors = [{ field: problem.path, message: problem.message, code: "INVALID_INPUT" }];
  return out;
}

function guard(field: GraphQLField<unknown, unknown>): void {
  const resolve = field.resolve ?? defaultFieldResolver;
  const payload = payloadType(field.type);
  field.resolve = (source, args, ctx, info) => {
    const problem = checkArgs(field.args, args);
    if (!problem) return resolve(source, args, ctx, info);
    // a mutation refuses in its payload, naming the field; a question's argument is the caller's mistake
    if (payload) return refused(payload, problem);
    throw badInput(problem.message, problem.path.join("."));
  };
}

/**
 * Every argument of every field passes here before its resolver runs, so a NUL, a control character, an
 * overlong text or an instant outside the sane range never reaches a use case or the database, and nothing is
 * written. Only fields with arguments are wrapped: the rest pay nothing.
 */
export function guardArguments(schema: GraphQLSchema): GraphQLSchema {
  for (const type of Object.values(schema.getTypeMap())) {
    if (!(type instanceof GraphQLObjectType) || type.name.startsWith("__")) continue;
    for (const field of Object.values(type.getFields())) if (field.args.length > 0) guard(field);
  }
  return schema;
}
