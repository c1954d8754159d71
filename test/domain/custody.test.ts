import { describe, expect, it } from "vitest";
import type { Actor } from "../../src/domain/custody/actor.js";
import { decideNormSetting } from "../../src/domain/custody/policy.js";
import type { Role } from "../../src/domain/custody/roles.js";
import { assertNotSelfReceipt } from "../../src/domain/requisition/receipt.js";
import { assertSecondPerson } from "../../src/domain/stock/writeOff.js";
import { refusal } from "./support.js";

// county 1 with township 10; county 2 beside it
const actor = (...grants: [Role, number, number][]): Actor => ({
  userId: 7,
  username: "someone",
  grants: grants.map(([role, countyId, regionId]) => ({ role, countyId, regionId })),
  keptDepots: [],
});

describe("who sets reserve norms", () => {
  it.each([
    ["a county officer over the county", actor(["COUNTY_OFFICER", 1, 1]), false, true],
    ["a county officer of another county", actor(["COUNTY_OFFICER", 2, 2]), false, false],
    ["a township officer", actor(["TOWNSHIP_OFFICER", 1, 10]), false, false],
    ["the administrator, through the API", actor(["COUNTY_ADMIN", 1, 1]), false, false],
    ["the administrator opening the books (台账 import)", actor(["COUNTY_ADMIN", 1, 1]), true, true],
    ["another county's administrator opening books", actor(["COUNTY_ADMIN", 2, 2]), true, false],
    ["an auditor opening books", actor(["AUDITOR", 1, 1]), true, false],
  ])("%s: %s", (_who, who, openingBooks, allowed) => {
    expect(decideNormSetting(who, 1, openingBooks)).toEqual(
      allowed ? { allowed: true } : { allowed: false, reason: "norms are set by the county" },
    );
  });
});

describe("four eyes", () => {
  it("whoever dispatched does not confirm the receipt; anyone else at the destination may", () => {
    expect(refusal(() => assertNotSelfReceipt(7, 7)).code).toBe("SELF_RECEIPT");
    expect(() => assertNotSelfReceipt(8, 7)).not.toThrow();
  });

  it("whoever asked for a large write-off is not its second person", () => {
    expect(refusal(() => assertSecondPerson(7, 7)).code).toBe("SELF_CONFIRMATION");
    expect(() => assertSecondPerson(8, 7)).not.toThrow();
  });
});
