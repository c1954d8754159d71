import { describe, expect, it } from "vitest";
import type { Actor } from "../../src/domain/custody/actor.js";
import { decideEmergency, decidePaperwork, type RegionFacts } from "../../src/domain/custody/policy.js";
import type { Role } from "../../src/domain/custody/roles.js";
import {
  coveringEmergency,
  type EmergencyFacts,
  isActive,
  isPaperworkOverdue,
  owingRegion,
} from "../../src/domain/emergency/emergency.js";
import type { CalendarDate } from "../../src/domain/shared/calendar.js";

// county 1 > township 10 > village 100; township 20 beside it
const actor = (...grants: [Role, number, number][]): Actor => ({
  userId: 7,
  username: "someone",
  grants: grants.map(([role, countyId, regionId]) => ({ role, countyId, regionId })),
  keptDepots: [],
});
const county: RegionFacts = { countyId: 1, regionId: 1, regionLevel: "COUNTY", regionLineage: [1] };
const township: RegionFacts = { countyId: 1, regionId: 10, regionLevel: "TOWNSHIP", regionLineage: [10, 1] };
const village: RegionFacts = {
  countyId: 1,
  regionId: 100,
  regionLevel: "VILLAGE",
  regionLineage: [100, 10, 1],
};
const other: RegionFacts = { countyId: 1, regionId: 20, regionLevel: "TOWNSHIP", regionLineage: [20, 1] };

const at = new Date("2026-11-24T02:00:00Z");
const emergency = (over: Partial<EmergencyFacts>): EmergencyFacts => ({
  id: 1,
  number: 1,
  regionId: 1,
  until: null,
  endedAt: null,
  ...over,
});

describe("who declares and ends an emergency", () => {
  it.each([
    ["the township office, its township", actor(["TOWNSHIP_OFFICER", 1, 10]), township, true],
    ["the township office, its village", actor(["TOWNSHIP_OFFICER", 1, 10]), village, true],
    ["the township office, another township", actor(["TOWNSHIP_OFFICER", 1, 10]), other, false],
    ["the township office, the county", actor(["TOWNSHIP_OFFICER", 1, 10]), county, false],
    ["a county officer, any region", actor(["COUNTY_OFFICER", 1, 1]), village, true],
    ["a county officer of another county", actor(["COUNTY_OFFICER", 2, 2]), township, false],
    ["an auditor", actor(["AUDITOR", 1, 1]), township, false],
    ["a keeper", actor(["KEEPER", 1, 10]), township, false],
  ])("%s", (_who, who, region, allowed) => {
    expect(decideEmergency(who, region).allowed).toBe(allowed);
  });
});

describe("who does the paperwork", () => {
  it.each([
    ["the owing township's office", actor(["TOWNSHIP_OFFICER", 1, 10]), township, true],
    ["another township's office", actor(["TOWNSHIP_OFFICER", 1, 20]), township, false],
    ["the county, for a township's", actor(["COUNTY_OFFICER", 1, 1]), township, false],
    ["the county, for its own", actor(["COUNTY_OFFICER", 1, 1]), county, true],
    ["an auditor", actor(["AUDITOR", 1, 1]), county, false],
  ])("%s", (_who, who, owedBy, allowed) => {
    expect(decidePaperwork(who, owedBy).allowed).toBe(allowed);
  });
});

describe("what an emergency covers, and when", () => {
  it("is active until ended or past its end time", () => {
    expect(isActive(emergency({}), at)).toBe(true);
    expect(isActive(emergency({ until: new Date(at.getTime() + 1) }), at)).toBe(true);
    expect(isActive(emergency({ until: at }), at)).toBe(false);
    expect(isActive(emergency({ endedAt: at }), at)).toBe(false);
  });

  it("covers its region and every region under it, the nearest declared first", () => {
    const countyWide = emergency({ id: 1, number: 1, regionId: 1 });
    const own = emergency({ id: 2, number: 2, regionId: 10 });
    const beside = emergency({ id: 3, number: 3, regionId: 20 });
    expect(coveringEmergency([countyWide, own, beside], village.regionLineage, at)).toBe(own);
    expect(coveringEmergency([countyWide, beside], village.regionLineage, at)).toBe(countyWide);
    expect(coveringEmergency([beside], village.regionLineage, at)).toBeNull();
    expect(coveringEmergency([emergency({ regionId: 100 })], township.regionLineage, at)).toBeNull();
    expect(coveringEmergency([{ ...own, endedAt: at }], village.regionLineage, at)).toBeNull();
  });

  it("paperwork is owed by the township holding the depot, or the county for a county depot", () => {
    expect(owingRegion("VILLAGE", village.regionLineage)).toBe(10);
    expect(owingRegion("TOWNSHIP", township.regionLineage)).toBe(10);
    expect(owingRegion("COUNTY", county.regionLineage)).toBe(1);
  });

  it("open paperwork is overdue the day after its allowed days run out", () => {
    const opened = { status: "OPEN" as const, openedOn: "2026-11-01" as CalendarDate };
    expect(isPaperworkOverdue(opened, "2026-11-08" as CalendarDate, 7)).toBe(false);
    expect(isPaperworkOverdue(opened, "2026-11-09" as CalendarDate, 7)).toBe(true);
    expect(isPaperworkOverdue({ ...opened, status: "APPROVED" }, "2026-12-01" as CalendarDate, 7)).toBe(
      false,
    );
  });
});
