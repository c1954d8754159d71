import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { aCounty, anItem, type Depot, type ProvisionedCounty } from "./support/factories.js";
import { startTestService, type TestService } from "./support/service.js";
import { aLotOf } from "./support/stockFactories.js";
import { type ChangeView, CONFIRM_WRITE_OFF, lotNow, WRITE_OFF } from "./support/world.js";

// the threshold is 100 (WRITE_OFF_CONFIRMATION_THRESHOLD default); the clock moves across a Shanghai midnight
let now = new Date("2026-11-24T02:00:00Z"); // 10:00 in Shanghai

let svc: TestService;
/** One township: its depot's keeper writes off, its office is the other person. */
let county: ProvisionedCounty;
let depot: Depot;
let OFFICER: string;
beforeAll(async () => {
  svc = await startTestService({ clock: () => now });
  county = await aCounty(svc, { townships: 1 });
  depot = county.townships[0]!.depot;
  OFFICER = county.townships[0]!.officer;
});
afterAll(() => svc.stop());

type WriteOffView = ChangeView & { request: { id: string; status: string; quantity: string } | null };
const writeOff = async (lotId: string, quantity: string, as = depot.keeper) => {
  const res = await svc.gql<{ writeOffStock: WriteOffView }>(
    WRITE_OFF,
    { input: { lotId, quantity, cause: "DAMAGED", reason: "水浸破损" } },
    as,
  );
  expect(res.errors).toBeUndefined();
  return res.data!.writeOffStock;
};

/** A lot of 1000 bags of an item new to the catalogue, at the township's depot. */
const bags = async () => {
  const [lot] = await aLotOf(depot, await anItem(county), "1000");
  return lot!;
};
const onHand = async (lotId: string) => (await lotNow(svc, lotId, county.auditor)).onHand;

describe("four eyes over what one person writes off from one lot in a day", () => {
  it("two write-offs of 75 do not slip under a threshold of 100: the second waits for a second person", async () => {
    now = new Date("2026-11-24T02:00:00Z");
    const lot = await bags();

    const first = await writeOff(lot.id, "75");
    expect(first).toMatchObject({ request: null, userErrors: [] });
    expect(first.movements).toMatchObject([{ kind: "WRITE_OFF", quantity: "-75" }]);

    const second = await writeOff(lot.id, "75");
    expect(second.userErrors).toEqual([]);
    expect(second.movements).toEqual([]);
    expect(second.request).toMatchObject({ status: "PENDING", quantity: "75" });
    expect(await onHand(lot.id)).toBe("925");

    // another person's write-off of the same lot is theirs to count
    const officer = await writeOff(lot.id, "75", OFFICER);
    expect(officer).toMatchObject({ request: null, userErrors: [] });
    expect(await onHand(lot.id)).toBe("850");

    const confirmed = await svc.gql<{ confirmWriteOff: WriteOffView }>(
      CONFIRM_WRITE_OFF,
      { input: { requestId: second.request!.id, confirm: true } },
      OFFICER,
    );
    expect(confirmed.data!.confirmWriteOff.userErrors).toEqual([]);
    expect(await onHand(lot.id)).toBe("775");
  });

  it("counts per lot and per Shanghai calendar day", async () => {
    const [a, b] = [await bags(), await bags()];

    now = new Date("2026-11-24T15:00:00Z"); // 23:00 in Shanghai
    expect((await writeOff(a.id, "75")).request).toBeNull();
    // another lot starts its own count
    expect((await writeOff(b.id, "75")).request).toBeNull();
    now = new Date("2026-11-24T16:30:00Z"); // 00:30 the next day in Shanghai, still the 24th in UTC
    expect((await writeOff(a.id, "75")).request).toBeNull();
    expect((await writeOff(a.id, "26")).request).toMatchObject({ status: "PENDING", quantity: "26" });

    expect(await onHand(a.id)).toBe("850");
    expect(await onHand(b.id)).toBe("925");
  });
});
