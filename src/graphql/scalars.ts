import { GraphQLScalarType, Kind } from "graphql";
import { formatQuantity, fromDb, type Quantity } from "../domain/shared/quantity.js";

/**
 * Exact decimal quantities travel as strings ("12.5"), never floats: cement is counted in tonnes to three
 * decimals. Input only has to be a string here: the domain checks it against the unit's precision and refuses
 * it in the payload with the field named, which a client can show next to the input.
 */
export const DecimalScalar = new GraphQLScalarType<string, string>({
  name: "Decimal",
  description: 'An exact decimal number as a string, e.g. "200" or "12.125".',
  serialize(value) {
    if (typeof value !== "string") throw new TypeError("Decimal must be a string");
    return formatQuantity(fromDb(value));
  },
  parseValue(value) {
    if (typeof value !== "string") throw new TypeError('Decimal must be a string like "12.5"');
    return value.trim();
  },
  parseLiteral(ast) {
    if (ast.kind !== Kind.STRING) throw new TypeError('Decimal must be a string like "12.5"');
    return ast.value.trim();
  },
});

/**
 * A row's quantity as a Decimal field holds it. A row read now carries the domain's Quantity; a command run under
 * an idempotency key answers with its JSON round trip (src/app/idempotency.ts), where quantities are already text.
 */
export const decimal = (q: Quantity | string): string =>
  formatQuantity(typeof q === "string" ? fromDb(q) : q);
export const decimalOrNull = (q: Quantity | string | null): string | null => (q === null ? null : decimal(q));
