import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  aCounty,
  anItem,
  type County,
  type Depot,
  type Item,
  type ProvisionedCounty,
} from "./support/factories.js";
import { startTestService, type TestService } from "./support/service.js";
import { query, sql } from "./support/sql.js";
import { type ChangeView, ISSUE, RECEIVE, receiveLot } from "./support/world.js";

// 10:00 in Shanghai on 2026-11-24
const NOW = new Date("2026-11-24T02:00:00Z");

let svc: TestService;
/** A county of its own with one township (its depot and keeper), and a second county whose ids are forged. */
let county: ProvisionedCounty;
let other: County;
let depot: Depot;
let KEEPER: string;
/** Cement in tonnes with a shelf life, and serialised generators: for the refusals, which write nothing. */
let cement: Item;
let generator: Item;
beforeAll(async () => {
  svc = await startTestService({ clock: () => NOW });
  county = await aCounty(svc, {
    townships: 1,
    items: [{ unitCode: "tonne", shelfLifeDays: 90 }, { trackingMode: "SERIAL" }],
  });
  other = await aCounty(svc);
  depot = county.townships[0]!.depot;
  KEEPER = depot.keeper;
  [cement, generator] = county.items as [Item, Item];
});
afterAll(() => svc.stop());

/** Cement no other test stocks, for a test that writes. */
const freshCement = () => anItem(county, { unitCode: "tonne", shelfLifeDays: 90 });

/** Rows that a refused command must not have written. */
const written = async () => {
  const [row] = await query<{ movements: number; lots: number; keys: number }>(
    svc.database,
    sql`select (select count(*)::int from movements) as movements, (select count(*)::int from lots) as lots,
        (select count(*)::int from idempotency_keys) as keys`,
  );
  return row!;
};

const receipt = (input: Record<string, unknown>) => ({
  input: {
    depotId: depot.id,
    itemId: cement.id,
    quantity: "1",
    lotCode: "B-2026-001",
    receivedOn: "2026-11-20",
    source: "PURCHASE",
    reason: "flood season top-up",
    ...input,
  },
});

/** A receipt refused at the boundary: INVALID_INPUT on the field, no error at the top, nothing written. */
async function refusedReceipt(input: Record<string, unknown>, field: string[]) {
  const before = await written();
  const res = await svc.gql<{ receiveStock: ChangeView }>(RECEIVE, receipt(input), KEEPER);
  expect(res.errors).toBeUndefined();
  expect(res.data!.receiveStock.userErrors).toEqual([
    { field, code: "INVALID_INPUT", message: expect.any(String) },
  ]);
  expect(res.data!.receiveStock.lots).toEqual([]);
  expect(await written()).toEqual(before);
}

describe("text inputs", () => {
  it("refuses a NUL in a reason, a lot code or an idempotency key as INVALID_INPUT naming the field", async () => {
    await refusedReceipt({ reason: "top-up\u0000" }, ["input", "reason"]);
    await refusedReceipt({ lotCode: "B\u0000-1" }, ["input", "lotCode"]);
    await refusedReceipt({ idempotencyKey: "k\u00001" }, ["input", "idempotencyKey"]);
    await refusedReceipt({ reference: "送货单\u001b[31m" }, ["input", "reference"]);
  });

  it("refuses an overlong serial number or lot code, naming which", async () => {
    const generators = { itemId: generator.id, quantity: "2" };
    await refusedReceipt({ ...generators, serialNumbers: ["GEN-1", "S".repeat(5000)] }, [
      "input",
      "serialNumbers",
      "1",
    ]);
    await refusedReceipt({ lotCode: "L".repeat(101) }, ["input", "lotCode"]);
    await refusedReceipt({ reason: "r".repeat(2001) }, ["input", "reason"]);
  });

  it("keeps line breaks in a reason and trims codes", async () => {
    const lot = await receiveLot(svc, KEEPER, {
      depotId: depot.id,
      itemId: (await freshCement()).id,
      quantity: "1",
      lotCode: "  B-TRIM-1\t",
      reason: "第一行\r\n第二行\tend",
    });
    const read = await svc.gql<{
      node: { lotCode: string };
      movements: { nodes: { reason: string }[] };
    }>(
      `query($id: ID!) { node(id: $id) { ... on Lot { lotCode } }
         movements(lotId: $id, first: 5) { nodes { reason } } }`,
      { id: lot.id },
      county.auditor,
    );
    expect(lot.onHand).toBe("1");
    expect(read.data).toEqual({
      node: { lotCode: "B-TRIM-1" },
      movements: { nodes: [{ reason: "第一行\n第二行\tend" }] },
    });
  });

  it("refuses a NUL in an issue's recipient and in a search argument", async () => {
    const before = await written();
    const res = await svc.gql<{ issueStock: ChangeView }>(
      ISSUE,
      {
        input: {
          depotId: depot.id,
          itemId: cement.id,
          quantity: "1",
          purpose: "FLOOD_FIGHTING",
          recipient: "河口村\u0000",
          reason: "levee",
        },
      },
      KEEPER,
    );
    expect(res.data!.issueStock.userErrors).toMatchObject([
      { field: ["input", "recipient"], code: "INVALID_INPUT" },
    ]);
    expect(await written()).toEqual(before);

    const search = await svc.gql(
      "query($s: String) { lots(serialNumber: $s, first: 5) { nodes { id } } }",
      {
        s: "GEN\u0000",
      },
      county.auditor,
    );
    expect(search.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
    const users = await svc.gql(
      "query($s: String) { users(filter: { search: $s }, first: 5) { nodes { id } } }",
      { s: "x".repeat(201) },
      county.auditor,
    );
    expect(users.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
  });
});

describe("dates and instants", () => {
  it("refuses instants before 1900 and in year 0001, and days outside 1900-2200", async () => {
    await refusedReceipt({ occurredAt: "1899-12-31T12:00:00Z" }, ["input", "occurredAt"]);
    await refusedReceipt({ occurredAt: "0001-01-01T00:00:00Z" }, ["input", "occurredAt"]);
    const before = await written();
    for (const receivedOn of ["1899-12-31", "0001-01-01", "9999-12-31"]) {
      const res = await svc.gql<{ receiveStock: ChangeView }>(RECEIVE, receipt({ receivedOn }), KEEPER);
      expect(res.data!.receiveStock.userErrors).toMatchObject([{ code: "INVALID_INPUT" }]);
    }
    expect(await written()).toEqual(before);
  });

  it("reads a 1950 instant back exactly", async () => {
    const res = await svc.gql<{ receiveStock: ChangeView & { movements: { id: string }[] } }>(
      RECEIVE,
      receipt({
        itemId: (await freshCement()).id,
        lotCode: "B-1950",
        receivedOn: "1950-06-01",
        occurredAt: "1950-06-01T01:02:03.456Z",
        acceptExpired: true,
      }),
      KEEPER,
    );
    expect(res.data!.receiveStock.userErrors).toEqual([]);
    const line = await svc.gql<{ node: { occurredAt: string } }>(
      "query($id: ID!) { node(id: $id) { ... on Movement { occurredAt } } }",
      { id: res.data!.receiveStock.movements[0]!.id },
      county.auditor,
    );
    expect(line.data!.node.occurredAt).toBe("1950-06-01T01:02:03.456Z");
  });

  it("answers asOf 9999-12-31 with a window as the caller's mistake", async () => {
    const res = await svc.gql(
      `query($r: ID!) { expiringLots(regionId: $r, within: 90, asOf: "9999-12-31", first: 5) { nodes { lot { id } } } }`,
      { r: county.id },
      county.auditor,
    );
    expect(res.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
  });
});

/** The same row number under the other county: what a forged or mixed-up ID looks like. */
const otherCounty = (id: string) => {
  const [type, , rowId] = Buffer.from(id, "base64url").toString("utf8").split(":");
  return Buffer.from(`${type}:${other.countyId}:${rowId}`, "utf8").toString("base64url");
};

const SET_NORM = `mutation($input: SetReserveNormInput!) { setReserveNorm(input: $input) {
  norm { quantity } userErrors { field code } } }`;

describe("global ids", () => {
  it("refuses a lot id naming another county instead of acting on this county's lot", async () => {
    const item = await freshCement();
    const lot = await receiveLot(svc, KEEPER, { depotId: depot.id, itemId: item.id, quantity: "5" });
    const before = await written();
    const res = await svc.gql<{ issueStock: ChangeView }>(
      ISSUE,
      {
        input: {
          depotId: depot.id,
          itemId: item.id,
          lotId: otherCounty(lot.id),
          quantity: "1",
          purpose: "FLOOD_FIGHTING",
          recipient: "河口村抢险队",
          reason: "levee",
        },
      },
      KEEPER,
    );
    expect(res.data!.issueStock.userErrors).toMatchObject([{ field: ["input", "lotId"], code: "NOT_FOUND" }]);
    expect(await written()).toEqual(before);
    const after = await svc.gql<{ node: { onHand: string } }>(
      "query($id: ID!) { node(id: $id) { ... on Lot { onHand } } }",
      { id: lot.id },
      county.auditor,
    );
    expect(after.data!.node.onHand).toBe("5");
  });

  it("refuses a township id where a county id is asked, and a region of another county", async () => {
    const township = county.townships[0]!.id;
    const norm = (input: Record<string, unknown>) =>
      svc.gql<{ setReserveNorm: { norm: unknown; userErrors: { field: string[]; code: string }[] } }>(
        SET_NORM,
        {
          input: {
            countyId: county.id,
            itemId: cement.id,
            basis: "ABSOLUTE",
            quantity: "10",
            ...input,
          },
        },
        county.officer,
      );
    const [before] = await query<{ n: number }>(
      svc.database,
      sql`select count(*)::int as n from reserve_norms`,
    );
    const asCounty = await norm({ countyId: township, regionId: township });
    expect(asCounty.data!.setReserveNorm).toEqual({
      norm: null,
      userErrors: [{ field: ["input", "countyId"], code: "NOT_FOUND" }],
    });
    const foreign = await norm({ regionId: otherCounty(township) });
    expect(foreign.data!.setReserveNorm.userErrors).toEqual([
      { field: ["input", "regionId"], code: "NOT_FOUND" },
    ]);
    const [after] = await query<{ n: number }>(
      svc.database,
      sql`select count(*)::int as n from reserve_norms`,
    );
    expect(after).toEqual(before);

    const map = await svc.gql(
      "query($c: ID!) { coverageMap(countyId: $c, level: TOWNSHIP, first: 5) { nodes { region { id } } } }",
      { c: township },
      county.officer,
    );
    expect(map.errors?.[0]?.extensions?.code).toBe("NOT_FOUND");
  });
});
