import { describe, expect, it } from "vitest";
import {
  checkGrantScope,
  checkPassword,
  checkUsername,
  refuseLosingLastAdministrator,
} from "../../src/domain/account/account.js";
import { countyDivisionCode } from "../../src/app/setup/initCounty.js";

const codeOf = (f: () => void): string | null => {
  try {
    f();
    return null;
  } catch (e) {
    return (e as { code: string }).code;
  }
};

describe("account rules", () => {
  it("a password has 10 to 256 characters, counted as characters, not bytes", () => {
    expect(codeOf(() => checkPassword("x".repeat(9), ["p"]))).toBe("WEAK_PASSWORD");
    expect(codeOf(() => checkPassword("x".repeat(10), ["p"]))).toBeNull();
    expect(codeOf(() => checkPassword("密".repeat(10), ["p"]))).toBeNull();
    expect(codeOf(() => checkPassword("x".repeat(256), ["p"]))).toBeNull();
    expect(codeOf(() => checkPassword("x".repeat(257), ["p"]))).toBe("WEAK_PASSWORD");
  });

  it("usernames are lower-case names of 2 to 64 characters", () => {
    for (const ok of ["li.wei", "a1", "chengguan.keeper", "x".repeat(64)])
      expect(codeOf(() => checkUsername(ok))).toBeNull();
    for (const bad of ["", "a", "Li.Wei", "has space", ".dot", "x".repeat(65), "李伟"])
      expect(codeOf(() => checkUsername(bad))).toBe("INVALID_INPUT");
  });

  it("roles fit the level of the region they cover", () => {
    expect(codeOf(() => checkGrantScope("KEEPER", "VILLAGE"))).toBeNull();
    expect(codeOf(() => checkGrantScope("TOWNSHIP_OFFICER", "TOWNSHIP"))).toBeNull();
    expect(codeOf(() => checkGrantScope("TOWNSHIP_OFFICER", "COUNTY"))).toBe("INVALID_INPUT");
    for (const role of ["COUNTY_OFFICER", "AUDITOR", "COUNTY_ADMIN"] as const) {
      expect(codeOf(() => checkGrantScope(role, "COUNTY"))).toBeNull();
      expect(codeOf(() => checkGrantScope(role, "TOWNSHIP"))).toBe("INVALID_INPUT");
    }
  });

  it("the last active administrator stays", () => {
    expect(codeOf(() => refuseLosingLastAdministrator([7], 7, true))).toBe("LAST_ADMINISTRATOR");
    expect(codeOf(() => refuseLosingLastAdministrator([7, 8], 7, true))).toBeNull();
    expect(codeOf(() => refuseLosingLastAdministrator([7], 7, false))).toBeNull();
  });

  it("a county's division code is 6 digits, stored as 12", () => {
    expect(countyDivisionCode("130199")).toBe("130199000000");
    expect(countyDivisionCode("130199000000")).toBe("130199000000");
    for (const bad of ["13019", "130199001000", "1301990000000", "abcdef"])
      expect(codeOf(() => countyDivisionCode(bad))).toBe("INVALID_INPUT");
  });
});
