import { readFile } from "node:fs/promises";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { aCounty, mutation, type ProvisionedCounty } from "../support/factories.js";
import { startTestService, type TestService } from "../support/service.js";
import {
  aLendingPair,
  aStockedItem,
  aSubmittedRequisition,
  between,
  stepsOf,
} from "../support/requisitionFactories.js";
import { aLotOf, aNorm } from "../support/stockFactories.js";
import { aVehicle } from "../support/vehicleFactories.js";
import { aPage, launch, screenshot, signIn, withPassword } from "./support.js";

let svc: TestService;
let browser: Browser;
let county: ProvisionedCounty;
let password: string;

/** A day this many days from today in Beijing time. */
const dayFromToday = (days: number) =>
  new Intl.DateTimeFormat("en-CA", { timeZone: "Asia/Shanghai" }).format(
    new Date(Date.now() + days * 86_400_000),
  );

/**
 * Three townships, two items with a norm of 100 bags and 50 lamps each; the stock gives every status:
 *   1镇: bags 120 (met, 120%), lamps 30 (low, 60%; one lot expiring in 45 days)
 *   2镇: bags 40 (critical, 40%), lamps none (none, 0%)
 *   3镇: bags 100 (met, 100%), lamps 20 (critical, 40%)
 * 1镇 and 2镇 are neighbours, so 1镇's 20 spare bags are the nearest surplus for 2镇.
 */
beforeAll(async () => {
  [svc, browser] = await Promise.all([startTestService(), launch()]);
  county = await aCounty(svc, { townships: 3, neighbours: [[0, 1]], items: [{}, { shelfLifeDays: 900 }] });
  const [bags, lamps] = county.items as [
    ProvisionedCounty["items"][number],
    ProvisionedCounty["items"][number],
  ];
  const [t1, t2, t3] = county.townships as [
    ProvisionedCounty["townships"][number],
    ProvisionedCounty["townships"][number],
    ProvisionedCounty["townships"][number],
  ];
  for (const t of county.townships) {
    await aNorm(county, bags, t.id, "100");
    await aNorm(county, lamps, t.id, "50");
  }
  const receivedOn = dayFromToday(-10);
  await aLotOf(t1.depot, bags, "120", { receivedOn });
  await aLotOf(t1.depot, lamps, "30", { receivedOn, expiresOn: dayFromToday(45) });
  await aLotOf(t2.depot, bags, "40", { receivedOn });
  await aLotOf(t3.depot, bags, "100", { receivedOn });
  await aLotOf(t3.depot, lamps, "20", { receivedOn, expiresOn: dayFromToday(400) });
  // two trucks stand by in 1镇, one of them out of service; one boat in 3镇
  await aVehicle(county, t1);
  const broken = await aVehicle(county, t1);
  await mutation(
    county.svc,
    county.admin,
    "setVehicleStatus",
    "SetVehicleStatusInput",
    {
      vehicleId: broken.id,
      status: "OUT_OF_SERVICE",
      note: "待修",
    },
    "vehicle { id }",
  );
  await aVehicle(county, t3, { kind: "BOAT", capacityTonnes: null, seats: 12 });
  password = await withPassword(svc, county, county.officer);
});
afterAll(async () => {
  await browser?.close();
  await svc?.stop();
});

async function officerPage(viewport?: { width: number; height: number }): Promise<Page> {
  const page = await aPage(browser, viewport);
  await signIn(page, svc, county.officer, password);
  await page.waitForSelector("[data-test=coverage-grid]");
  return page;
}

const township = (i: number) => county.townships[i]!;
const cellText = (page: Page, i: number, item: number) =>
  page
    .locator(`[data-test=row-${township(i).divisionCode}] [data-test=cell-${county.items[item]!.code}]`)
    .innerText()
    .then((s) => s.replace(/\s+/g, " ").trim());

describe("county civil affairs", () => {
  it("sees the township × item grid coloured by status with each ratio, and drills into a township", async () => {
    const page = await officerPage();
    const heat = page.locator("[data-test=coverage-grid] .heat canvas").first();
    await heat.waitFor();

    // the legend beside the grid counts the cells of each status
    await expect
      .poll(async () => (await page.locator("[data-test=legend] li").allInnerTexts()).map((s) => s.trim()))
      .toEqual(["达标 2", "不足 1", "严重不足 2", "无储备 1", "无定额 0"]);

    // a cell of the canvas tells its township, item, status and ratio, and a click opens the township
    const box = page.locator("[data-test=coverage-grid] .heat");
    const at = async (name: string) => Number(await box.getAttribute(`data-${name}`));
    const rect = (await box.boundingBox())!;
    const x = rect.x + (await at("left")) + 0.5 * (await at("cell-width"));
    const y = rect.y + (await at("top")) + 1.5 * (await at("cell-height"));
    await page.mouse.move(x, y);
    await expect
      .poll(() => page.locator("[data-test=coverage-grid]").innerText())
      .toMatch(
        new RegExp(`${township(1).nameZh}\\s*·\\s*测试物资\\d+\\s+严重不足 40%\\s+可用 40 / 定额 100 件`),
      );
    await screenshot(page, "coverage-grid");
    await page.mouse.click(x, y);
    await expect.poll(() => page.locator("[data-test=drill-name]").innerText()).toBe(township(1).nameZh);
    await expect
      .poll(() => page.locator(`[data-test=drill] [data-test=depot-${township(1).depot.code}]`).count())
      .toBe(1);

    // the same grid as a table: every cell's ratio, status and figures
    await page.click("[data-test=show-table]");
    expect(await cellText(page, 0, 0)).toBe("120% 达标 120 / 100");
    expect(await cellText(page, 0, 1)).toBe("60% 不足 30 / 50");
    expect(await cellText(page, 1, 0)).toBe("40% 严重不足 40 / 100");
    expect(await cellText(page, 1, 1)).toBe("0% 无储备 0 / 50");
    expect(await cellText(page, 2, 0)).toBe("100% 达标 100 / 100");
    expect(await cellText(page, 2, 1)).toBe("40% 严重不足 20 / 50");
    // and the vehicles on call in each township
    const vehicles = (i: number) =>
      page.locator(`[data-test=row-${township(i).divisionCode}] [data-test=vehicles-on-call]`).innerText();
    expect([await vehicles(0), await vehicles(1), await vehicles(2)]).toEqual(["1", "0", "1"]);

    // the first township's depots and lots
    await page.locator(`[data-test=row-${township(0).divisionCode}] [data-test=pick]`).click();
    await expect.poll(() => page.locator("[data-test=drill-name]").innerText()).toBe(township(0).nameZh);
    const depot = page.locator(`[data-test=drill] [data-test=depot-${township(0).depot.code}]`);
    await expect
      .poll(() => depot.locator(`[data-test=stock-${county.items[0]!.code}] [data-test=usable]`).innerText())
      .toBe("120 件");
    await expect
      .poll(() => depot.locator("[data-test=lots] tbody tr").allInnerTexts())
      .toEqual([
        expect.stringMatching(/^LOT-\d+\s+测试物资\d+\s+120\s+—\s+完好$/),
        expect.stringMatching(new RegExp(`^LOT-\\d+\\s+测试物资\\d+\\s+30\\s+${dayFromToday(45)}\\s+完好$`)),
      ]);
    await screenshot(page, "coverage-drill");
    await page.close();
  });

  it("downloads the coverage workbook with the officer's token", async () => {
    const page = await officerPage();
    const [response, download] = await Promise.all([
      page.waitForResponse((r) => r.url().includes("/export/coverage.xlsx")),
      page.waitForEvent("download"),
      page.click("[data-test=download-coverage]"),
    ]);
    expect(response.status()).toBe(200);
    expect(response.headers()["content-type"]).toBe(
      "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    );
    expect(download.suggestedFilename()).toMatch(/\.xlsx$/);
    const file = await readFile((await download.path())!);
    // an xlsx is a zip: its first bytes are PK\x03\x04
    expect(file.subarray(0, 4).toString("latin1")).toBe("PK\u0003\u0004");
    expect(file.length).toBeGreaterThan(1000);
    await page.close();
  });

  it("lists the gaps worst first with the nearest surplus, and readiness per township", async () => {
    const page = await officerPage();
    await page.click("[data-test=tab-gaps]");
    const gaps = page.locator("[data-test=gaps] tbody tr");
    await expect.poll(() => gaps.count()).toBe(4);
    await screenshot(page, "county-gaps");
    const rows = (await gaps.allInnerTexts()).map((s) => s.replace(/\s+/g, " ").trim());
    expect(rows[0]).toMatch(
      new RegExp(`^${township(1).nameZh} ?乡镇 测试物资\\d+ 无储备 0% 0 / 50 件 50 附近无富余$`),
    );
    const bagsOf2 = rows.find((r) => r.includes("40 / 100"));
    expect(bagsOf2).toMatch(new RegExp(`60 ${township(0).nameZh} 富余 20 · 30 分钟车程$`));

    await page.click("[data-test=tab-readiness]");
    const first = page.locator(`[data-test=readiness-${township(0).divisionCode}]`);
    await expect.poll(() => first.locator("[data-test=expiring-60]").innerText()).toBe("1");
    expect(await first.locator("[data-test=expiring-30]").innerText()).toBe("0");
    expect(await first.locator("[data-test=expiring-90]").innerText()).toBe("1");
    expect(await first.locator("[data-test=expired]").innerText()).toBe("0");

    await screenshot(page, "county-readiness");
    await page.close();
  });

  it("lists the open requisitions and the open discrepancies of the whole county", async () => {
    const pair = await aLendingPair(svc);
    const bags = await aStockedItem(pair, "100");
    await aSubmittedRequisition(between(pair, [{ item: bags, quantity: "5" }]));
    const steps = stepsOf(pair);
    const sent = await steps.underway([{ item: bags, quantity: "10" }]);
    const lineId = (
      await svc.gql<{ requisition: { lines: { id: string }[] } }>(
        `query($id: ID!) { requisition(id: $id) { lines { id } } }`,
        { id: sent },
        pair.county.officer,
      )
    ).data!.requisition.lines[0]!.id;
    const received = await steps.receive(sent, [
      { lineId, acceptedQuantity: "8", missingQuantity: "2", missingReason: "途中遗失" },
    ]);
    expect(received.userErrors).toEqual([]);

    const page = await aPage(browser);
    await signIn(page, svc, pair.county.officer, await withPassword(svc, pair.county, pair.county.officer));
    await page.click("[data-test=tab-open]");
    const requisitions = page.locator("[data-test=open-work] [data-test=requisition]");
    await expect.poll(() => requisitions.count()).toBe(1);
    expect((await requisitions.innerText()).replace(/\s+/g, " ")).toMatch(
      new RegExp(
        `${pair.borrower.nameZh} → ${pair.lender.nameZh} 堤防管涌，申请支援 紧急 测试物资\\d+ 5 已提交$`,
      ),
    );
    expect(await page.locator("[data-test=status-SUBMITTED]").innerText()).toBe("已提交 1");
    const discrepancies = page.locator("[data-test=open-work] [data-test=discrepancy]");
    await expect
      .poll(() => discrepancies.allInnerTexts())
      .toEqual([
        expect.stringMatching(
          new RegExp(`短少\\s+2\\s+${pair.borrower.nameZh} → ${pair.lender.nameZh}\\s+途中遗失$`),
        ),
      ]);
    await screenshot(page, "county-open-work");
    await page.close();
  });

  it("lets the auditor read the same grid", async () => {
    const page = await aPage(browser);
    await signIn(page, svc, county.auditor, await withPassword(svc, county, county.auditor));
    await page.click("[data-test=show-table]");
    await expect.poll(() => cellText(page, 1, 1)).toBe("0% 无储备 0 / 50");
    await page.close();
  });

  it("keeps the grid readable on a 360 px screen: it scrolls sideways inside its card", async () => {
    // a county of eight items: wider than the phone
    const wide = await aCounty(svc, { townships: 2, items: Array.from({ length: 8 }, () => ({})) });
    for (const t of wide.townships) for (const item of wide.items) await aNorm(wide, item, t.id, "10");
    await aLotOf(wide.townships[0]!.depot, wide.items[0]!, "10");
    const page = await aPage(browser, { width: 360, height: 800 });
    await signIn(page, svc, wide.officer, await withPassword(svc, wide, wide.officer));
    await page.locator("[data-test=coverage-grid] .heat canvas").first().waitFor();
    // evaluated in the page: the page itself does not scroll sideways, the grid's box does
    const widths = (await page.evaluate(`({
      page: document.documentElement.scrollWidth,
      scroller: document.querySelector("[data-test=coverage-grid] .scroll").clientWidth,
      grid: document.querySelector("[data-test=coverage-grid] .scroll").scrollWidth,
    })`)) as { page: number; scroller: number; grid: number };
    expect(widths.page).toBeLessThanOrEqual(360);
    expect(widths.grid).toBeGreaterThan(widths.scroller);
    await screenshot(page, "coverage-grid-narrow");
    await page.close();
  });
});
