import { GraphQLError, type GraphQLFormattedError } from "graphql";
import type { Logger } from "pino";
import { Field, ObjectType, registerEnumType } from "type-graphql";
import { DOMAIN_ERROR_CODES, type DomainErrorCode, isDomainError } from "../domain/shared/errors.js";
import { unavailableIn } from "../shared/unavailable.js";
import { requestIdOf } from "../shared/requestScope.js";
import { enumObject } from "./enums.js";

export const UserErrorCode = enumObject(DOMAIN_ERROR_CODES);
registerEnumType(UserErrorCode, {
  name: "UserErrorCode",
  description: "Why a mutation refused: one closed list shared by every mutation.",
});

@ObjectType({ description: "A business refusal, returned in a mutation's payload; nothing was changed." })
export class UserError {
  @Field(() => [String], {
    description: 'Path of the input field at fault, e.g. ["input", "quantity"]; empty when none.',
  })
  field!: string[];

  @Field(() => String, { description: "What went wrong, for a person." })
  message!: string;

  @Field(() => UserErrorCode, { description: "What went wrong, for a program." })
  code!: DomainErrorCode;
}

type Channel = "PAYLOAD" | "UNAUTHENTICATED" | "FORBIDDEN";

/**
 * Where each domain refusal goes. Exhaustive: a new code does not compile until it is placed here. Only
 * "not signed in" and "not allowed" are top-level errors; NOT_FOUND stays in the payload because a depot out of
 * scope must look exactly like one that does not exist.
 */
export function channelOf(code: DomainErrorCode): Channel {
  switch (code) {
    case "UNAUTHENTICATED":
      return "UNAUTHENTICATED";
    case "FORBIDDEN":
      return "FORBIDDEN";
    case "NOT_FOUND":
    case "INVALID_INPUT":
    case "INVALID_QUANTITY":
    case "INSUFFICIENT_STOCK":
    case "LOT_NOT_ISSUABLE":
    case "RESERVE_FLOOR":
    case "SELF_APPROVAL":
    case "REPEAT_APPROVAL":
    case "SELF_RECEIPT":
    case "SELF_CONFIRMATION":
    case "INVALID_TRANSITION":
    case "ROUTE_NOT_ALLOWED":
    case "CHANGE_FROM_QUANTITY_STALE":
    case "IDEMPOTENCY_KEY_PARAMETER_MISMATCH":
    case "RELEASE_ORDER_REQUIRED":
    case "EXPIRED_ON_RECEIPT":
    case "DUPLICATE":
    case "INVALID_CREDENTIALS":
    case "TOO_MANY_ATTEMPTS":
    case "WEAK_PASSWORD":
    case "SESSION_EXPIRED":
    case "LAST_ADMINISTRATOR":
    case "SELF_ADMINISTRATION":
    case "DIVISION_CODE_NOT_UNDER_PARENT":
    case "DEPOT_CLOSED":
    case "DEPOT_HOLDS_STOCK":
    case "DEPOT_HAS_ALLOCATIONS":
    case "DEPOT_HAS_OPEN_REQUISITIONS":
    case "DEPOT_HAS_OPEN_LOANS":
    case "DEPOT_HAS_OPEN_STOCK_TAKE":
    case "ITEM_RETIRED":
    case "VEHICLE_BUSY":
    case "VEHICLE_OUT_OF_SERVICE":
    case "AGREEMENT_NOT_IN_FORCE":
    case "NOT_IN_AGREEMENT":
    case "AGREEMENT_EXCEEDED":
    case "CALL_UP_OVER_DELIVERY":
    case "NO_ACTIVE_EMERGENCY":
      return "PAYLOAD";
  }
}

/** Turns a thrown domain refusal into payload errors; anything else is rethrown for the top level. */
export function toUserErrors(e: unknown, inputName = "input"): UserError[] {
  if (!isDomainError(e)) throw e;
  const channel = channelOf(e.code);
  if (channel !== "PAYLOAD") throw topLevel(channel, e.message);
  return [{ field: e.field ? [inputName, ...e.field] : [], message: e.message, code: e.code }];
}

export function topLevel(code: "UNAUTHENTICATED" | "FORBIDDEN", message?: string): GraphQLError {
  return new GraphQLError(message ?? (code === "UNAUTHENTICATED" ? "sign in first" : "not allowed"), {
    extensions: { code, http: { status: code === "UNAUTHENTICATED" ? 401 : 403 } },
  });
}

const CLIENT_CODES = new Set([
  "UNAUTHENTICATED",
  "FORBIDDEN",
  "BAD_USER_INPUT",
  "GRAPHQL_PARSE_FAILED",
  "GRAPHQL_VALIDATION_FAILED",
  "BAD_REQUEST",
  "PERSISTED_QUERY_NOT_FOUND",
  "PERSISTED_QUERY_NOT_SUPPORTED",
  "OPERATION_RESOLUTION_FAILURE",
  "QUERY_TOO_COMPLEX",
  "OPERATION_NOT_SUPPORTED",
  "TOO_MANY_REQUESTS",
]);

/** Client mistakes pass through; anything unexpected is logged in full and masked for the caller. */
export function formatError(logger: Logger) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const code = formatted.extensions?.code;
    if (typeof code === "string" && CLIENT_CODES.has(code)) return formatted;
    const original = error instanceof GraphQLError ? (error.originalError ?? error) : error;
    if (isDomainError(original)) {
      return { message: original.message, path: formatted.path, extensions: { code: original.code } };
    }
    // the database is slow or gone: say so (503 and Retry-After, see http/server.ts) rather than "internal error"
    // the request id lets an operator find this line from the "internal error" a user reports
    const requestId = requestIdOf(error) ?? requestIdOf(original);
    const unavailable = unavailableIn(original);
    if (unavailable) {
      logger.warn({ err: original, path: formatted.path, requestId }, "database unavailable");
      return {
        message: unavailable.message,
        path: formatted.path,
        extensions: { code: "SERVICE_UNAVAILABLE", ...(requestId ? { requestId } : {}) },
      };
    }
    logger.error({ err: original, path: formatted.path, requestId }, "unexpected error");
    return {
      message: "internal error",
      path: formatted.path,
      extensions: { code: "INTERNAL_SERVER_ERROR", ...(requestId ? { requestId } : {}) },
    };
  };
}

/** A malformed argument, said plainly and naming the argument. */
export function badInput(message: string, argument: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: "BAD_USER_INPUT", argument } });
}
