import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  aCounty,
  aDepot,
  anItem,
  aVillage,
  type Depot,
  type Item,
  type ProvisionedCounty,
} from "../support/factories.js";
import { startTestService, type TestService } from "../support/service.js";
import { aLotOf, stockAt } from "../support/stockFactories.js";
import { aPage, launch, screenshot, signIn, withPassword } from "./support.js";

let svc: TestService;
let browser: Browser;
let county: ProvisionedCounty;
let depot: Depot;
let password: string;
beforeAll(async () => {
  [svc, browser] = await Promise.all([startTestService(), launch()]);
  county = await aCounty(svc, { townships: 1 });
  depot = county.townships[0]!.depot;
  password = await withPassword(svc, county, depot.keeper);
});
afterAll(async () => {
  await browser?.close();
  await svc?.stop();
});

const ISSUES = `query($lot: ID!) { movements(lotId: $lot, first: 100) { nodes { kind quantity } } }`;
const issuesOf = async (lotId: string) => {
  const res = await svc.gql<{ movements: { nodes: { kind: string; quantity: string }[] } }>(
    ISSUES,
    { lot: lotId },
    county.auditor,
  );
  return res.data!.movements.nodes.filter((m) => m.kind === "ISSUE").map((m) => m.quantity);
};

/** The keeper's phone: 360 px wide. */
async function keeperPage(): Promise<Page> {
  const page = await aPage(browser, { width: 360, height: 800 });
  await signIn(page, svc, depot.keeper, password);
  return page;
}

async function issue(page: Page, item: Item, quantity: string) {
  await page.click("[data-test=open-issue]");
  const form = page.locator("[data-test=form-issue]");
  await form.locator("select[name=itemId]").selectOption(item.id);
  await form.locator("input[name=quantity]").fill(quantity);
  await form.locator("input[name=recipient]").fill("东关村抢险队");
  await form.locator("input[name=reason]").fill("堤坝渗水");
  await form.locator("[data-test=record]").click();
}

const usableShown = (page: Page, item: Item) =>
  page.locator(`[data-test=stock-${item.code}] [data-test=usable]`).innerText();

describe("a keeper on a 360 px phone", () => {
  it("sees the depot's stock per item and lot, and records an issue that the stock then shows", async () => {
    const jackets = await anItemWithStock("40", "2027-05-31");
    const page = await keeperPage();

    await expect.poll(() => usableShown(page, jackets.item)).toBe("40");
    await page.locator(`[data-test=stock-${jackets.item.code}] button.row`).click();
    const lots = page.locator(`[data-test=stock-${jackets.item.code}] table.lots tbody tr`);
    await expect.poll(() => lots.allInnerTexts()).toEqual([expect.stringMatching(/40\s+2027-05-31\s+完好/)]);
    await issue(page, jackets.item, "5");

    await expect.poll(() => page.locator("[data-test=notice]").innerText()).toBe("已记录。");
    await expect.poll(() => usableShown(page, jackets.item)).toBe("35");
    expect(await issuesOf(jackets.lotId)).toEqual(["-5"]);
    expect((await stockAt(depot, jackets.item)).usable).toBe("35");
    await screenshot(page, "keeper-issue");
    await page.close();
  });

  it("shows a refusal next to the quantity it names, in Chinese, and records nothing", async () => {
    const cement = await anItemWithStock("10", null);
    const page = await keeperPage();

    await issue(page, cement.item, "11");

    await expect.poll(() => page.locator("[data-test=error-quantity]").innerText()).toBe("可用库存不足");
    expect(await issuesOf(cement.lotId)).toEqual([]);
    await page.close();
  });

  it("keeps an entry made offline on the phone, says it waits, and sends it once when the network is back", async () => {
    const bags = await anItemWithStock("100", null);
    const page = await keeperPage();
    await expect.poll(() => usableShown(page, bags.item)).toBe("100");

    await page.context().setOffline(true);
    await issue(page, bags.item, "30");
    await expect.poll(() => page.locator("[data-test=waiting]").innerText()).toContain("出库");
    await expect(page.locator("[data-test=outbox]").innerText()).resolves.toContain("1 条记录待发送");
    expect(await issuesOf(bags.lotId)).toEqual([]);
    await screenshot(page, "keeper-offline");

    await page.context().setOffline(false);
    await expect.poll(() => page.locator("[data-test=waiting]").count(), { timeout: 20_000 }).toBe(0);
    await expect.poll(() => usableShown(page, bags.item)).toBe("70");
    expect(await issuesOf(bags.lotId)).toEqual(["-30"]);
    await page.close();
  });

  it("records an entry once when the answer was lost on the way back and the phone sends it again", async () => {
    const lamps = await anItemWithStock("20", null);
    const page = await keeperPage();
    await expect.poll(() => usableShown(page, lamps.item)).toBe("20");
    // the server records the first issue, but its answer never reaches the phone
    let lost = 0;
    await page.route("**/graphql", async (route) => {
      const body = route.request().postData() ?? "";
      if (lost === 0 && body.includes("issueStock")) {
        lost += 1;
        await route.fetch();
        return route.abort("connectionreset");
      }
      return route.fallback();
    });

    await issue(page, lamps.item, "4");
    await expect.poll(() => page.locator("[data-test=waiting]").count()).toBe(1);
    await page.locator("[data-test=outbox] button.link").first().click();

    await expect.poll(() => page.locator("[data-test=waiting]").count(), { timeout: 20_000 }).toBe(0);
    expect(lost).toBe(1);
    expect(await issuesOf(lamps.lotId)).toEqual(["-4"]);
    await expect.poll(() => usableShown(page, lamps.item)).toBe("16");
    await page.close();
  });
});

describe("an entry refused after it waited", () => {
  it("stays listed with its refusal while the next entry is recorded, and is gone only when discarded", async () => {
    const rope = await anItemWithStock("10", null);
    const page = await keeperPage();
    await expect.poll(() => usableShown(page, rope.item)).toBe("10");
    // made offline, so the form closes; the server refuses it when the network is back
    await page.context().setOffline(true);
    await issue(page, rope.item, "11");
    await expect.poll(() => page.locator("[data-test=waiting]").count()).toBe(1);
    await page.context().setOffline(false); // the browser's "online" sends what waits
    await expect.poll(() => page.locator("[data-test=refused]").innerText()).toContain("可用库存不足");

    await issue(page, rope.item, "3");

    await expect.poll(() => page.locator("[data-test=notice]").innerText()).toBe("已记录。");
    await expect.poll(() => usableShown(page, rope.item)).toBe("7");
    expect(await page.locator("[data-test=refused]").allInnerTexts()).toEqual([
      expect.stringContaining("可用库存不足"),
    ]);
    expect(await issuesOf(rope.lotId)).toEqual(["-3"]);
    await page.locator("[data-test=refused] button.link").click();
    await expect.poll(() => page.locator("[data-test=refused]").count()).toBe(0);
    await page.close();
  });
});

describe("the keeper's other entries", () => {
  it("records a receipt, a write-off and a stock-take count at a second depot, each shown and in the books", async () => {
    // a village point the same keeper keeps: a count covers a whole depot, so this one holds only what the test puts there
    const point = await aDepot(await aVillage(county.townships[0]!), { keeper: depot.keeper });
    const jackets = await anItem(county);
    const page = await keeperPage();
    await page.locator("select[name=depot]").selectOption(point.id);
    const form = (kind: string) => page.locator(`[data-test=form-${kind}]`);
    const recorded = () => expect.poll(() => page.locator("[data-test=notice]").innerText()).toBe("已记录。");

    await page.click("[data-test=open-receive]");
    await form("receive").locator("select[name=itemId]").selectOption(jackets.id);
    await form("receive").locator("input[name=quantity]").fill("12");
    await form("receive").locator("input[name=lotCode]").fill("RC-1");
    await form("receive").locator("input[name=reason]").fill("采购入库");
    await form("receive").locator("[data-test=record]").click();
    await recorded();
    await expect.poll(() => usableShown(page, jackets)).toBe("12");

    await page.click("[data-test=open-writeOff]");
    await form("writeOff").locator("select[name=itemId]").selectOption(jackets.id);
    await form("writeOff").locator("select[name=lotId]").selectOption({ index: 0 });
    await form("writeOff").locator("input[name=quantity]").fill("2");
    await form("writeOff").locator("input[name=reason]").fill("受潮发霉");
    await form("writeOff").locator("[data-test=record]").click();
    await recorded();
    await expect.poll(() => usableShown(page, jackets)).toBe("10");

    await page.click("[data-test=open-count]");
    await expect.poll(() => form("count").locator("input[name=count-RC-1]").inputValue()).toBe("10");
    await form("count").locator("input[name=count-RC-1]").fill("9");
    await form("count").locator("[data-test=record]").click();
    await recorded();
    await expect.poll(() => usableShown(page, jackets)).toBe("9");
    await screenshot(page, "keeper-count");

    const [lot] = (await lotsAt(point, jackets)).map((l) => ({ lotCode: l.lotCode, onHand: l.onHand }));
    expect(lot).toEqual({ lotCode: "RC-1", onHand: "9" });
    const lines = await linesOf(point, jackets);
    // the ledger answers newest first
    expect(lines).toEqual([
      ["ADJUSTMENT", "-1"],
      ["WRITE_OFF", "-2"],
      ["RECEIPT", "12"],
    ]);
    await page.close();
  });
});

const LOTS_AT = `query($d: ID!, $i: ID!) { lots(depotId: $d, itemId: $i, first: 10) { nodes { id lotCode onHand } } }`;
const lotsAt = async (at: Depot, item: Item) =>
  (
    await svc.gql<{ lots: { nodes: { id: string; lotCode: string; onHand: string }[] } }>(
      LOTS_AT,
      { d: at.id, i: item.id },
      county.auditor,
    )
  ).data!.lots.nodes;
/** Every ledger line of the item at the depot, as kind and quantity, in the order the API lists them. */
async function linesOf(at: Depot, item: Item): Promise<[string, string][]> {
  const lines: [string, string][] = [];
  for (const lot of await lotsAt(at, item)) {
    const res = await svc.gql<{ movements: { nodes: { kind: string; quantity: string }[] } }>(
      ISSUES,
      { lot: lot.id },
      county.auditor,
    );
    lines.push(...res.data!.movements.nodes.map((m): [string, string] => [m.kind, m.quantity]));
  }
  return lines;
}

/** A new item of the county with one lot of it at the keeper's depot, so its figures are this test's alone. */
async function anItemWithStock(quantity: string, expiresOn: string | null) {
  const item = await anItem(county, expiresOn ? { shelfLifeDays: 900 } : {});
  const [lot] = await aLotOf(depot, item, quantity, expiresOn ? { expiresOn } : {});
  return { item, lotId: lot!.id };
}
