import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { aCounty, anItem, type Depot, type ProvisionedCounty, type Township } from "../support/factories.js";
import { startTestService, type TestService } from "../support/service.js";
import { aLotOf, aNorm, stockAt } from "../support/stockFactories.js";
import { aPage, launch, screenshot, signIn, withPassword } from "./support.js";

const DAY = 86_400_000;
// the service's clock: a test moves it on to make paperwork overdue (EMERGENCY_PAPERWORK_DAYS, 7 by default)
let now = new Date();
let svc: TestService;
let browser: Browser;
let county: ProvisionedCounty;
let township: Township & { depot: Depot };
const passwords = new Map<string, string>();
beforeAll(async () => {
  [svc, browser] = await Promise.all([startTestService({ clock: () => now }), launch()]);
  county = await aCounty(svc, { townships: 1 });
  township = county.townships[0] as typeof township;
  for (const who of [township.officer, township.depot.keeper])
    passwords.set(who, await withPassword(svc, county, who));
});
afterAll(async () => {
  await browser?.close();
  await svc?.stop();
});

async function signedIn(who: string, viewport?: { width: number; height: number }): Promise<Page> {
  const page = await aPage(browser, viewport);
  await signIn(page, svc, who, passwords.get(who)!);
  return page;
}

const PAPERWORK = `query { emergencyPaperwork(first: 100) { nodes { status note movement { quantity } } } }`;
const paperworkSeenByCounty = async () =>
  (
    await svc.gql<{
      emergencyPaperwork: {
        nodes: { status: string; note: string | null; movement: { quantity: string } | null }[];
      };
    }>(PAPERWORK, {}, county.officer)
  ).data!.emergencyPaperwork.nodes;

async function issue(page: Page, itemId: string, quantity: string, emergency: boolean) {
  await page.click("[data-test=open-issue]");
  const form = page.locator("[data-test=form-issue]");
  await form.locator("select[name=itemId]").selectOption(itemId);
  await form.locator("input[name=quantity]").fill(quantity);
  await form.locator("input[name=recipient]").fill("城关抢险队");
  await form.locator("input[name=reason]").fill("河堤管涌");
  if (emergency) {
    await form.locator("input[name=emergency]").check();
    await screenshot(page, "keeper-emergency-issue");
  }
  await form.locator("[data-test=record]").click();
}

/** Waits for the banner's first answer, so "no banner" is the service's word and not a page still loading. */
const bannerLoaded = (page: Page) =>
  page.waitForSelector("[data-test=emergencies][aria-busy=false]", { state: "attached" });
const banner = (page: Page) => page.locator("[data-test=emergency-banner] [data-test=emergency]");

describe("a declared emergency in the console", () => {
  it("is declared by the township office, shown to its keeper, lets the keeper issue past the floor, leaves paperwork the office approves, and its end takes the banner and the option away", async () => {
    // given: 100 woven bags at the township depot, 80 of them the reserve floor
    const bags = await anItem(county);
    await aLotOf(township.depot, bags, "100");
    await aNorm(county, bags, township.id, "100", "80");
    const office = await signedIn(township.officer);
    await office.waitForSelector("[data-test=township]");
    await bannerLoaded(office);
    expect(await banner(office).count()).toBe(0);

    // when: the office declares a level III response for its township
    await office.click("[data-test=tab-emergency]");
    const declare = office.locator("[data-test=declare-form]");
    await declare.locator("select[name=level]").selectOption("LEVEL_III");
    await declare.locator("input[name=reason]").fill("暴雨洪涝");
    await declare.locator("[data-test=declare]").click();

    // then: the banner says which, how grave, where and why, on the office's desk and the keeper's phone
    await expect.poll(() => banner(office).count()).toBe(1);
    const shown = await banner(office).innerText();
    expect(shown).toMatch(/第1号 应急响应\s+Ⅲ级\s+/);
    expect(shown).toContain(township.nameZh);
    expect(shown).toContain("暴雨洪涝");
    expect(shown).toContain("至宣布终止");
    await expect.poll(() => office.locator("[data-test=own-emergency]").count()).toBe(1);
    await screenshot(office, "emergency-declared");

    const keeper = await signedIn(township.depot.keeper, { width: 360, height: 800 });
    await expect.poll(() => banner(keeper).innerText()).toMatch(/第1号 应急响应\s+Ⅲ级/);

    // an ordinary issue of 50 would cut into the floor of 80: refused, nothing goes out
    await issue(keeper, bags.id, "50", false);
    await expect
      .poll(() => keeper.locator("[data-test=form-issue] .error").allInnerTexts())
      .toContain("会低于最低储备量");
    expect((await stockAt(township.depot, bags)).onHand).toBe("100");
    await keeper.locator("[data-test=form-issue] button.secondary").click();

    // 应急出库: the same issue goes out first, the paperwork follows
    await issue(keeper, bags.id, "50", true);
    await expect.poll(() => keeper.locator("[data-test=notice]").innerText()).toBe("已记录。");
    expect((await stockAt(township.depot, bags)).onHand).toBe("50");
    expect(await paperworkSeenByCounty()).toEqual([
      { status: "OPEN", note: null, movement: { quantity: "-50" } },
    ]);

    // the office finds it under 补办手续 and approves it with a note; it leaves the open list
    await office.click("[data-test=tab-paperwork]");
    const item = office.locator("[data-test=paperwork-item]");
    await expect.poll(() => item.count()).toBe(1);
    const what = await item.locator("[data-test=what]").innerText();
    expect(what).toMatch(/ 50 /);
    expect(what).toContain("镇库");
    expect(what).toContain("城关抢险队");
    expect(await item.locator("[data-test=overdue]").count()).toBe(0);
    await screenshot(office, "emergency-paperwork");
    await item.locator("[data-test=approve]").click();
    await expect.poll(() => item.locator("[data-test=paperwork-error]").innerText()).toContain("请填写说明");
    await item.locator("input[name=note]").fill("镇长电话指示，抢险队签收");
    await item.locator("[data-test=approve]").click();
    await expect.poll(() => office.locator("[data-test=paperwork-empty]").count()).toBe(1);
    expect(await paperworkSeenByCounty()).toEqual([
      { status: "APPROVED", note: "镇长电话指示，抢险队签收", movement: { quantity: "-50" } },
    ]);

    // ending it takes the banner away, and the keeper's emergency option with it
    await office.click("[data-test=tab-emergency]");
    await office.locator("[data-test=own-emergency] [data-test=end]").click();
    await office.locator("[data-test=end-form] input[name=endNote]").fill("水位回落");
    await office.locator("[data-test=confirm-end]").click();
    await expect.poll(() => office.locator("[data-test=emergency-banner]").count()).toBe(0);
    await expect.poll(() => office.locator("[data-test=no-own-emergency]").count()).toBe(1);

    await keeper.reload();
    await keeper.waitForSelector("[data-test=open-issue]");
    await bannerLoaded(keeper);
    expect(await keeper.locator("[data-test=emergency-banner]").count()).toBe(0);
    await keeper.click("[data-test=open-issue]");
    await keeper.waitForSelector("[data-test=form-issue]");
    expect(await keeper.locator("[data-test=emergency-issue]").count()).toBe(0);
    await office.close();
    await keeper.close();
  });
});

const ISSUE = `mutation($input: IssueStockInput!) { issueStock(input: $input) { userErrors { code } } }`;
/** An emergency issue straight through the API, as the keeper's phone would send it. */
async function anEmergencyIssue(depot: Depot, itemId: string, quantity: string) {
  const res = await svc.gql<{ issueStock: { userErrors: { code: string }[] } }>(
    ISSUE,
    {
      input: {
        depotId: depot.id,
        itemId,
        quantity,
        purpose: "FLOOD_FIGHTING",
        recipient: "抢险队",
        reason: "堵口",
        emergency: true,
      },
    },
    depot.keeper,
  );
  expect(res.data?.issueStock.userErrors).toEqual([]);
}

describe("the county desk in an emergency", () => {
  it("declares one over the whole county, lists the county's paperwork overdue first, approves or contests only what the county owes, and counts what townships owe in readiness", async () => {
    // given: a county with one township and a county warehouse, each holding 100 bags
    const world = await aCounty(svc, { townships: 1, countyDepots: ["COUNTY_WAREHOUSE"] });
    const town = world.townships[0]!;
    const warehouse = world.depots[0]!;
    const bags = await anItem(world);
    await aLotOf(town.depot, bags, "100");
    await aLotOf(warehouse, bags, "100");
    passwords.set(world.officer, await withPassword(svc, world, world.officer));
    const desk = await signedIn(world.officer);
    await desk.click("[data-test=tab-emergency]");
    const declare = desk.locator("[data-test=declare-form]");
    await expect
      .poll(() => declare.locator("select[name=regionId] option").allInnerTexts())
      .toEqual([world.nameZh, town.nameZh]);
    await declare.locator("select[name=regionId]").selectOption(world.id);
    await declare.locator("select[name=level]").selectOption("LEVEL_II");
    await declare.locator("input[name=reason]").fill("流域性洪水");
    await declare.locator("[data-test=declare]").click();
    await expect.poll(() => banner(desk).innerText()).toMatch(/第1号 应急响应\s+Ⅱ级\s+/);
    await desk.close();

    // the township's keeper issued eight days ago (its paperwork now overdue), the warehouse's today
    await anEmergencyIssue(town.depot, bags.id, "30");
    now = new Date(now.getTime() + 8 * DAY);
    await anEmergencyIssue(warehouse, bags.id, "20");

    // when: the county officer opens 补办手续
    const page = await signedIn(world.officer);
    await page.click("[data-test=tab-paperwork]");
    const items = page.locator("[data-test=paperwork-item]");
    await expect.poll(() => items.count()).toBe(2);

    // then: the township's overdue item comes first, marked, with no buttons; the county's own can be approved
    const [townOwed, countyOwed] = [items.nth(0), items.nth(1)];
    expect(await townOwed.locator("[data-test=overdue]").innerText()).toBe("逾期");
    expect(await townOwed.innerText()).toContain(`应补办单位 ${town.nameZh}`);
    expect(await townOwed.locator("[data-test=approve]").count()).toBe(0);
    expect(await countyOwed.locator("[data-test=overdue]").count()).toBe(0);
    expect(await countyOwed.locator("[data-test=what]").innerText()).toMatch(/ 20 /);
    await screenshot(page, "county-paperwork");
    await countyOwed.locator("input[name=note]").fill("局长指示，事后补签");
    await countyOwed.locator("[data-test=contest]").click();
    await expect.poll(() => items.count()).toBe(1);
    expect(await items.nth(0).innerText()).toContain(town.nameZh);

    // only overdue: still the township's; contested: the county's, with its note
    await page.locator("input[name=overdueOnly]").check();
    await expect.poll(() => items.count()).toBe(1);
    await page.locator("input[name=overdueOnly]").uncheck();
    await page.locator("select[name=paperworkStatus]").selectOption("CONTESTED");
    await expect
      .poll(() => items.locator("[data-test=note]").allInnerTexts())
      .toEqual(["局长指示，事后补签"]);

    // readiness: the township owes one, overdue; the county total counts it too
    await page.click("[data-test=tab-readiness]");
    const row = page.locator(`[data-test=readiness-${town.divisionCode}] [data-test=paperwork-overdue]`);
    await expect.poll(() => row.innerText()).toBe("1 / 1");

    // the county ends it from its desk
    await page.click("[data-test=tab-emergency]");
    await page.locator("[data-test=own-emergency] [data-test=end]").click();
    await page.locator("[data-test=end-form] input[name=endNote]").fill("汛情解除");
    await page.locator("[data-test=confirm-end]").click();
    await expect.poll(() => page.locator("[data-test=emergency-banner]").count()).toBe(0);
    await page.close();
  });
});
