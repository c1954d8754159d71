import { DomainError } from "../shared/errors.js";

/**
 * GB/T 38565-2020 《应急物资分类及编码》: seven digits over four levels; the first is the major class (1 basic
 * living support, 2 emergency equipment and accessories, 3 engineering materials and machining equipment). Only the
 * form is checked: the standard's full table is not shipped.
 */
export const CLASSIFICATION_CODE = /^[123]\d{6}$/;

export function classificationCode(given: string | null | undefined): string | null {
  if (given === null || given === undefined || given.trim() === "") return null;
  const code = given.trim();
  if (!CLASSIFICATION_CODE.test(code)) {
    throw new DomainError(
      "INVALID_INPUT",
      "a GB/T 38565-2020 classification code has 7 digits and begins with 1, 2 or 3",
      ["classificationCode"],
    );
  }
  return code;
}
