// The words a spreadsheet is written and read with: every code of every closed list has one, no two codes of a list
// share a word, and reading a word back gives its code (test/support is not needed: the module is pure).
import { describe, expect, it } from "vitest";
import {
  ALL_LABELS,
  codeOf,
  labelOf,
  type Labels,
  LOT_CONDITION_LABELS,
  MOVEMENT_KIND_LABELS,
} from "../src/domain/shared/labels.js";

describe("labels of the domain's closed lists", () => {
  for (const [name, pair] of Object.entries(ALL_LABELS)) {
    const [codes, labels] = pair as readonly [readonly string[], Labels<string>];
    it(`${name}: one Chinese and one English word per code, none shared, each read back to its code`, () => {
      expect(Object.keys(labels).sort()).toEqual([...codes].sort());
      for (const lang of ["zh", "en"] as const) {
        const words = codes.map((c) => labelOf(labels, c, lang));
        expect(new Set(words).size).toBe(codes.length);
      }
      for (const code of codes) {
        expect(codeOf(labels, code)).toBe(code);
        expect(codeOf(labels, ` ${labelOf(labels, code, "zh")} `)).toBe(code);
        expect(codeOf(labels, labelOf(labels, code, "en").toUpperCase())).toBe(code);
      }
    });
  }

  it("reads a code written in lower case and refuses a word that names nothing", () => {
    expect(codeOf(MOVEMENT_KIND_LABELS, "receipt")).toBe("RECEIPT");
    expect(codeOf(LOT_CONDITION_LABELS, "完好")).toBe("SERVICEABLE");
    expect(codeOf(LOT_CONDITION_LABELS, "良好")).toBeNull();
    expect(codeOf(LOT_CONDITION_LABELS, "  ")).toBeNull();
  });
});
