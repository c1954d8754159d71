import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { aCounty, anItem, type Depot, type Item, type ProvisionedCounty } from "../support/factories.js";
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

/** A new item of the county with one lot of it at the keeper's depot, so its figures are this test's alone. */
async function anItemWithStock(quantity: string, expiresOn: string | null) {
  const item = await anItem(county, expiresOn ? { shelfLifeDays: 900 } : {});
  const [lot] = await aLotOf(depot, item, quantity, expiresOn ? { expiresOn } : {});
  return { item, lotId: lot!.id };
}
