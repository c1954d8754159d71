import { GraphQLScalarType, Kind } from "graphql";
import { formatQuantity, fromDb } from "../domain/shared/quantity.js";

const DECIMAL = /^-?\d+(\.\d+)?$/;

/**
 * Exact decimal quantities travel as strings ("12.5"), never floats: cement is counted in tonnes to three
 * decimals. Input is checked for shape here and for the unit's precision in the domain.
 */
export const DecimalScalar = new GraphQLScalarType<string, string>({
  name: "Decimal",
  description: 'An exact decimal number as a string, e.g. "200" or "12.125".',
  serialize(value) {
    if (typeof value !== "string") throw new TypeError("Decimal must be a string");
    return formatQuantity(fromDb(value));
  },
  parseValue(value) {
    if (typeof value !== "string" || !DECIMAL.test(value.trim())) {
      throw new TypeError('Decimal must be a string like "12.5"');
    }
    return value.trim();
  },
  parseLiteral(ast) {
    if (ast.kind !== Kind.STRING || !DECIMAL.test(ast.value.trim())) {
      throw new TypeError('Decimal must be a string like "12.5"');
    }
    return ast.value.trim();
  },
});
