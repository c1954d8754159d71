import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { anItem, type Item } from "../support/factories.js";
import {
  aDispatchedRequisition,
  aLendingPair,
  anApprovedRequisition,
  aSubmittedRequisition,
  between,
  DISPATCH,
  type LendingPair,
} from "../support/requisitionFactories.js";
import { view } from "../support/requisitions.js";
import { startTestService, type TestService } from "../support/service.js";
import { aLotOf, aNorm, stockAt } from "../support/stockFactories.js";
import { aPage, launch, screenshot, signIn, withPassword } from "./support.js";

let svc: TestService;
let browser: Browser;
let pair: LendingPair;
const passwords = new Map<string, string>();
beforeAll(async () => {
  [svc, browser] = await Promise.all([startTestService(), launch()]);
  pair = await aLendingPair(svc);
  for (const who of [pair.lender.officer, pair.borrower.officer])
    passwords.set(who, await withPassword(svc, pair.county, who));
});
afterAll(async () => {
  await browser?.close();
  await svc?.stop();
});

async function officePage(officer: string): Promise<Page> {
  const page = await aPage(browser);
  await signIn(page, svc, officer, passwords.get(officer)!);
  await page.waitForSelector("[data-test=township]");
  return page;
}

/** A new item the lender holds `onHand` of, with a norm and floor at the lender's township. */
async function lenderStock(onHand: string, norm?: { quantity: string; floor: string }): Promise<Item> {
  const item = await anItem(pair.county);
  await aLotOf(pair.lender.depot, item, onHand);
  if (norm) await aNorm(pair.county, item, pair.lender.id, norm.quantity, norm.floor);
  return item;
}

const requisitionRow = (page: Page, id: string) => page.locator(`[data-test=requisition][data-id="${id}"]`);
const cells = (page: Page, scope: string, item: Item) =>
  page.locator(`[data-test=${scope}-${item.code}] td`).allInnerTexts();

describe("the township office", () => {
  it("approves part of an incoming request, seeing what it leaves against the floor and the norm; the requester's open page is told", async () => {
    const bags = await lenderStock("200", { quantity: "100", floor: "50" });
    const asked = await aSubmittedRequisition(between(pair, [{ item: bags, quantity: "150" }]));
    // the requesting office has its outgoing requests open, and does nothing
    const requester = await officePage(pair.borrower.officer);
    await requester.click("[data-test=tab-outgoing]");
    await expect
      .poll(() => requisitionRow(requester, asked.id).locator("[data-test=status]").innerText())
      .toBe("已提交");
    const page = await officePage(pair.lender.officer);

    await requisitionRow(page, asked.id).locator("button.row").click();
    await expect
      .poll(() => requisitionRow(page, asked.id).locator("[data-test=status]").innerText())
      .toBe("已提交");
    const row = page.locator(`[data-test=approve-${bags.code}]`);
    // in full: 200 usable − 150 leaves 50, at the floor of 50 but below the norm of 100
    await expect.poll(() => row.locator("[data-test=usable]").innerText()).toBe("200");
    expect(await row.locator("[data-test=left]").innerText()).toBe("50");
    expect(await row.locator("[data-test=floor]").innerText()).toBe("50");
    expect(await row.locator("[data-test=norm]").innerText()).toBe("100");
    expect(await row.locator("[data-test=verdict]").innerText()).toMatch(/不低于最低储备\s+低于本镇定额/);

    await row.locator(`input[name=approve-${bags.code}]`).fill("60");
    await expect.poll(() => row.locator("[data-test=left]").innerText()).toBe("140");
    expect(await row.locator("[data-test=verdict]").innerText()).toMatch(/不低于最低储备\s+仍满足定额/);
    await screenshot(page, "township-approve-form");
    await page.click("[data-test=approve-part]");

    await expect.poll(() => page.locator("[data-test=detail-status]").innerText()).toBe("部分批准");
    await expect
      .poll(() => requisitionRow(page, asked.id).locator("[data-test=status]").innerText())
      .toBe("部分批准");
    expect(await cells(page, "line", bags)).toEqual([expect.any(String), "150", "60", "—", "—", "140"]);
    await expect(page.locator("[data-test=approve-form]").count()).resolves.toBe(0);
    await expect(page.locator("[data-test=dispatch-form]").count()).resolves.toBe(1);
    await screenshot(page, "township-approved-part");

    const server = await view(svc, asked.id, pair.county.auditor);
    expect(server).toMatchObject({ status: "PARTIALLY_APPROVED", lines: [{ approvedQuantity: "60" }] });
    expect(await stockAt(pair.lender.depot, bags)).toMatchObject({ usable: "140", allocated: "60" });

    // told live: the notice in its header, and its list shows the new status without a reload
    await expect.poll(() => requester.locator("[data-test=unseen]").innerText()).toBe("1");
    await expect
      .poll(() => requisitionRow(requester, asked.id).locator("[data-test=status]").innerText())
      .toBe("部分批准");
    await requester.click("[data-test=notifications]");
    await expect
      .poll(() => requester.locator("[data-test=notification]").allInnerTexts())
      .toEqual([expect.stringContaining("申请已批准")]);
    await screenshot(requester, "township-requester-told");
    await Promise.all([page.close(), requester.close()]);
  });

  it("shows a refusal next to the field it names, in Chinese, changing nothing; then rejects with a reason", async () => {
    const lamps = await lenderStock("20");
    const asked = await aSubmittedRequisition(between(pair, [{ item: lamps, quantity: "5" }]));
    const page = await officePage(pair.lender.officer);
    await requisitionRow(page, asked.id).locator("button.row").click();

    await page.locator(`input[name=approve-${lamps.code}]`).fill("8");
    await page.click("[data-test=approve-part]");
    await expect
      .poll(() => page.locator("[data-test=error-approvedQuantity]").innerText())
      .toBe("数量不正确（超出允许的数量或不符合计量单位）");
    await page.click("[data-test=reject]");
    await expect.poll(() => page.locator("[data-test=error-reason]").innerText()).toBe("填写的内容有误");

    expect(await page.locator("[data-test=detail-status]").innerText()).toBe("已提交");
    expect((await view(svc, asked.id, pair.county.auditor))?.status).toBe("SUBMITTED");
    expect(await stockAt(pair.lender.depot, lamps)).toMatchObject({ usable: "20", allocated: "0" });

    await page.fill("input[name=reason]", "本镇应急灯须留守汛期");
    await page.click("[data-test=reject]");
    await expect.poll(() => page.locator("[data-test=detail-status]").innerText()).toBe("已驳回");
    expect((await view(svc, asked.id, pair.county.auditor))?.status).toBe("REJECTED");
    expect(await page.locator("[data-test=timeline]").innerText()).toContain("本镇应急灯须留守汛期");
    await page.close();
  });

  it("dispatches an approved request with the carrier, vehicle and driver", async () => {
    const cement = await lenderStock("30");
    const approved = await anApprovedRequisition(between(pair, [{ item: cement, quantity: "12" }]));
    const page = await officePage(pair.lender.officer);
    await requisitionRow(page, approved.id).locator("button.row").click();

    const form = page.locator("[data-test=dispatch-form]");
    await form.locator("input[name=carrier]").fill("镇应急运输队");
    await form.locator("input[name=vehicle]").fill("豫Q·A1234");
    await form.locator("input[name=driverContact]").fill("13800001234");
    await form.locator("[data-test=dispatch]").click();

    await expect.poll(() => page.locator("[data-test=detail-status]").innerText()).toBe("在途");
    expect(await page.locator("[data-test=transport]").innerText()).toContain(
      "镇应急运输队 · 豫Q·A1234 · 13800001234",
    );
    expect(await cells(page, "line", cement)).toEqual([expect.any(String), "12", "12", "12", "—", "18"]);
    expect((await view(svc, approved.id, pair.county.auditor))?.status).toBe("IN_TRANSIT");
    expect(await stockAt(pair.borrower.depot, cement)).toMatchObject({ inTransit: "12" });
    await page.close();
  });

  it("lets the requester follow its outgoing request and its timeline", async () => {
    const tents = await lenderStock("40");
    const sent = await aDispatchedRequisition(
      between(pair, [{ item: tents, quantity: "10" }]),
      pair.lender.depot,
    );
    const page = await officePage(pair.borrower.officer);

    await page.click("[data-test=tab-outgoing]");
    const row = requisitionRow(page, sent.id);
    await expect.poll(() => row.locator("[data-test=status]").innerText()).toBe("在途");
    await row.locator("button.row").click();

    const events = page.locator("[data-test=timeline] [data-test=event] b");
    await expect.poll(() => events.allInnerTexts()).toEqual(["草稿", "已提交", "已批准", "在途"]);
    expect(await page.locator("[data-test=transport]").innerText()).toContain(
      `${DISPATCH.carrier} · ${DISPATCH.vehicle} · ${DISPATCH.driverContact}`,
    );
    expect(await page.locator("[data-test=approvals]").innerText()).toContain("供方乡镇");
    expect(await page.locator("[data-test=receive-form]").count()).toBe(1);
    await screenshot(page, "township-outgoing-timeline");
    await page.close();
  });

  it("receives with a quantity missing, and the discrepancy is recorded and shown", async () => {
    const jackets = await lenderStock("50");
    const sent = await aDispatchedRequisition(
      between(pair, [{ item: jackets, quantity: "50" }]),
      pair.lender.depot,
    );
    const page = await officePage(pair.borrower.officer);
    await page.click("[data-test=tab-outgoing]");
    await requisitionRow(page, sent.id).locator("button.row").click();

    const form = page.locator(`[data-test=receive-${jackets.code}]`);
    await form.locator(`input[name=accepted-${jackets.code}]`).fill("45");
    await form.locator(`input[name=missing-${jackets.code}]`).fill("5");
    await expect.poll(() => form.locator("[data-test=balance]").innerText()).toBe("合计 50 / 50");
    // the reason is required with a missing quantity: the refusal shows under it
    await page.click("[data-test=receive]");
    await expect.poll(() => page.locator("[data-test=error-missingReason]").count()).toBe(1);
    expect((await view(svc, sent.id, pair.county.auditor))?.status).toBe("IN_TRANSIT");

    await form.locator(`input[name=missingReason-${jackets.code}]`).fill("途中遗失，正在查找");
    await page.click("[data-test=receive]");

    // consumables counted (45 + 5 missing) close the request at once; the missing 5 stay an open discrepancy
    await expect.poll(() => page.locator("[data-test=detail-status]").innerText()).toBe("已关闭");
    expect(await page.locator("[data-test=timeline] [data-test=event] b").allInnerTexts()).toEqual([
      "草稿",
      "已提交",
      "已批准",
      "在途",
      "已关闭",
    ]);
    expect(await cells(page, "line", jackets)).toEqual([expect.any(String), "50", "50", "50", "45"]);
    expect(await page.locator("[data-test=discrepancy]").allInnerTexts()).toEqual([
      expect.stringMatching(/短少 5 .*途中遗失，正在查找 · 待处理/),
    ]);
    await screenshot(page, "township-receive-discrepancy");

    const server = await view(svc, sent.id, pair.county.auditor);
    expect(server?.status).toBe("CLOSED");
    expect(server?.lines[0]).toMatchObject({
      acceptedQuantity: "45",
      discrepancies: [{ kind: "MISSING", quantity: "5", reason: "途中遗失，正在查找" }],
    });
    expect(await stockAt(pair.borrower.depot, jackets)).toMatchObject({ usable: "45", inTransit: "0" });
    await page.close();
  });

  it("pages the inbox newest first, and a refresh (where live events land) brings in a new request", async () => {
    const other = await aLendingPair(svc);
    const blankets = await anItem(other.county);
    await aLotOf(other.lender.depot, blankets, "1000");
    const ids: string[] = [];
    for (let i = 1; i <= 21; i++)
      ids.push((await aSubmittedRequisition(between(other, [{ item: blankets, quantity: String(i) }]))).id);
    const password = await withPassword(svc, other.county, other.lender.officer);
    const page = await aPage(browser);
    await signIn(page, svc, other.lender.officer, password);

    const shown = () => page.locator("[data-test=list-incoming] [data-test=requisition]");
    const shownIds = async () => Promise.all((await shown().all()).map((r) => r.getAttribute("data-id")));
    await expect.poll(() => shown().count()).toBe(20);
    expect(await shownIds()).toEqual(ids.slice(1).reverse());
    await page.click("[data-test=more]");
    await expect.poll(() => shown().count()).toBe(21);
    expect(await shownIds()).toEqual([...ids].reverse());
    expect(await page.locator("[data-test=more]").count()).toBe(0);

    const late = await aSubmittedRequisition(between(other, [{ item: blankets, quantity: "99" }]));
    await page.click("[data-test=refresh]");
    await expect.poll(() => shownIds()).toEqual([late.id, ...[...ids].reverse()]);
    await page.close();
  });

  it("asks for a gap's item, pre-filled with the nearest neighbour that has surplus", async () => {
    const sand = await lenderStock("200", { quantity: "50", floor: "0" });
    await aNorm(pair.county, sand, pair.borrower.id, "80");
    const page = await officePage(pair.borrower.officer);
    await page.click("[data-test=tab-gaps]");

    const gap = page.locator(`[data-test=gap-${sand.code}]`);
    await expect.poll(() => gap.locator("[data-test=shortfall]").innerText()).toBe("缺 80");
    await gap.locator("[data-test=ask]").click();
    const form = gap.locator("[data-test=ask-form]");
    expect(await form.locator("select[name=supplyingRegionId]").inputValue()).toBe(pair.lender.id);
    expect(await form.locator("input[name=quantity]").inputValue()).toBe("80");
    expect(await form.locator("[data-test=nearest]").innerText()).toContain("150");
    await screenshot(page, "township-ask-from-gap");
    await form.locator("[data-test=ask-send]").click();

    await expect.poll(() => page.locator("[data-test=detail-status]").innerText()).toBe("已提交");
    const outgoing = await svc.gql<{
      requisitions: {
        nodes: { id: string; status: string; lines: { requestedQuantity: string; item: { id: string } }[] }[];
      };
    }>(
      `query($r: ID!) { requisitions(regionId: $r, direction: OUTGOING, first: 1) { nodes { id status lines { requestedQuantity item { id } } } } }`,
      { r: pair.borrower.id },
      pair.borrower.officer,
    );
    expect(outgoing.data?.requisitions.nodes[0]).toMatchObject({
      status: "SUBMITTED",
      lines: [{ requestedQuantity: "80", item: { id: sand.id } }],
    });
    await page.close();
  });
});
