import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestService, type TestService } from "./support/service.js";
import {
  type ChangeView,
  CONFIRM_WRITE_OFF,
  demoIds,
  type DemoIds,
  lotNow,
  receiveLot,
  WRITE_OFF,
} from "./support/world.js";

// the threshold is 100 (WRITE_OFF_CONFIRMATION_THRESHOLD default); the clock moves across a Shanghai midnight
let now = new Date("2026-11-24T02:00:00Z"); // 10:00 in Shanghai
const KEEPER = "chengguan.keeper";

let svc: TestService;
let ids: DemoIds;
beforeAll(async () => {
  svc = await startTestService({ clock: () => now });
  ids = await demoIds(svc);
});
afterAll(() => svc.stop());

type WriteOffView = ChangeView & { request: { id: string; status: string; quantity: string } | null };
const writeOff = async (lotId: string, quantity: string, as = KEEPER) => {
  const res = await svc.gql<{ writeOffStock: WriteOffView }>(
    WRITE_OFF,
    { input: { lotId, quantity, cause: "DAMAGED", reason: "水浸破损" } },
    as,
  );
  expect(res.errors).toBeUndefined();
  return res.data!.writeOffStock;
};

const bags = () =>
  receiveLot(svc, KEEPER, {
    depotId: ids.depot("TD-CHENGGUAN"),
    itemId: ids.item("WOVEN_BAG"),
    quantity: "1000",
  });

describe("four eyes over what one person writes off from one lot in a day", () => {
  it("two write-offs of 75 do not slip under a threshold of 100: the second waits for a second person", async () => {
    const lot = await bags();
    const first = await writeOff(lot.id, "75");
    expect(first).toMatchObject({ request: null, userErrors: [] });
    expect(first.movements).toHaveLength(1);

    const second = await writeOff(lot.id, "75");
    expect(second.userErrors).toEqual([]);
    expect(second.movements).toEqual([]);
    expect(second.request).toMatchObject({ status: "PENDING", quantity: "75" });
    expect((await lotNow(svc, lot.id)).onHand).toBe("925");

    // another person's write-off of the same lot is theirs to count
    const officer = await writeOff(lot.id, "75", "chengguan.officer");
    expect(officer).toMatchObject({ request: null, userErrors: [] });

    const confirmed = await svc.gql<{ confirmWriteOff: WriteOffView }>(
      CONFIRM_WRITE_OFF,
      { input: { requestId: second.request!.id, confirm: true } },
      "chengguan.officer",
    );
    expect(confirmed.data!.confirmWriteOff.userErrors).toEqual([]);
    expect((await lotNow(svc, lot.id)).onHand).toBe("775");
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
    expect((await lotNow(svc, a.id)).onHand).toBe("850");
  });
});
