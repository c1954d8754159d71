import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { aCounty, type Item, mutation, unique } from "../support/factories.js";
import { startTestService, type TestService } from "../support/service.js";
import { query, sql } from "../support/sql.js";

// Real contention needs real connections: every request below is its own HTTP call and its own transaction.
const NOW = new Date("2026-11-24T02:00:00Z");
let svc: TestService;
beforeAll(async () => (svc = await startTestService({ clock: () => NOW })));
afterAll(() => svc.stop());

/** A county with one township, and agreements for 100 tents each, valid through 2026. */
async function aWorld(agreements: number) {
  const county = await aCounty(svc, { townships: 1, items: [{}] });
  const [tents] = county.items as [Item];
  const ids: string[] = [];
  for (let i = 0; i < agreements; i += 1) {
    const res = await mutation<{ agreement: { id: string } }>(
      svc,
      county.admin,
      "createAgreement",
      "CreateAgreementInput",
      {
        regionId: county.id,
        supplier: "华联商贸有限公司",
        contact: "周经理",
        contractNo: `QH-RACE-${unique()}`,
        validFrom: "2026-01-01",
        validUntil: "2026-12-31",
        leadHours: 8,
        lines: [{ itemId: tents.id, quantity: "100" }],
      },
      "agreement { id }",
    );
    ids.push(res.agreement.id);
  }
  return { county, tents, depot: county.townships[0]!.depot, agreements: ids };
}

type World = Awaited<ReturnType<typeof aWorld>>;
const callUp = (w: World, agreementId: string, quantity: string) =>
  svc.gql<{ callUpAgreement: { callUp: { number: string } | null; userErrors: { code: string }[] } }>(
    `mutation($input: CallUpAgreementInput!) { callUpAgreement(input: $input) { callUp { number } userErrors { code } } }`,
    {
      input: {
        agreementId,
        destinationDepotId: w.depot.id,
        lines: [{ itemId: w.tents.id, quantity }],
        reason: "防汛抢险",
      },
    },
    w.county.officer,
  );

describe("concurrent call-ups", () => {
  it("two call-ups that together exceed the agreement: exactly one succeeds", async () => {
    const w = await aWorld(1);

    const results = await Promise.all([callUp(w, w.agreements[0]!, "60"), callUp(w, w.agreements[0]!, "60")]);

    const codes = results.map((r) => {
      expect(r.errors).toBeUndefined();
      return r.data!.callUpAgreement.userErrors.map((e) => e.code).join() || "OK";
    });
    expect(codes.sort()).toEqual(["AGREEMENT_EXCEEDED", "OK"]);
    const [row] = await query<{ n: number; called: string }>(
      svc.database,
      sql`select count(distinct cu.id)::int as n, coalesce(sum(cul.quantity), 0)::text as called
            from call_ups cu join call_up_lines cul on cul.county_id = cu.county_id and cul.call_up_id = cu.id
           where cu.county_id = ${w.county.countyId}`,
    );
    expect({ n: row!.n, called: Number(row!.called) }).toEqual({ n: 1, called: 60 });
  });

  it("call-ups of different agreements at once never draw the same number", async () => {
    const w = await aWorld(4);

    const results = await Promise.all(w.agreements.map((a) => callUp(w, a, "10")));

    const numbers = results.map((r) => r.data!.callUpAgreement.callUp!.number).sort();
    expect(numbers).toEqual(["DY-2026-0001", "DY-2026-0002", "DY-2026-0003", "DY-2026-0004"]);
  });
});
