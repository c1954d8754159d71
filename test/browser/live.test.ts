import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  aLendingPair,
  aStockedItem,
  aSubmittedRequisition,
  between,
  type LendingPair,
} from "../support/requisitionFactories.js";
import { step } from "../support/requisitions.js";
import { startTestService, type TestService } from "../support/service.js";
import { aPage, launch, screenshot, signIn, withPassword } from "./support.js";

let svc: TestService;
let browser: Browser;
let pair: LendingPair;
const passwords: Record<string, string> = {};
beforeAll(async () => {
  [svc, browser] = await Promise.all([startTestService(), launch()]);
  pair = await aLendingPair(svc);
  for (const who of [pair.lender.officer, pair.borrower.officer])
    passwords[who] = await withPassword(svc, pair.county, who);
});
afterAll(async () => {
  await browser?.close();
  await svc?.stop();
});

async function openAs(username: string): Promise<Page> {
  const page = await aPage(browser);
  await signIn(page, svc, username, passwords[username]!);
  return page;
}

const notices = (page: Page) => page.locator("[data-test=notification]").allInnerTexts();

describe("live notifications in the console", () => {
  it("tells the supplying office's open page of a new incoming request, and the requester's of its approval in part", async () => {
    const tents = await aStockedItem(pair, "10");
    const [supplier, requester] = await Promise.all([
      openAs(pair.lender.officer),
      openAs(pair.borrower.officer),
    ]);

    const asked = await aSubmittedRequisition(between(pair, [{ item: tents, quantity: "6" }]));

    await expect.poll(() => supplier.locator("[data-test=unseen]").innerText()).toBe("1");
    await supplier.click("[data-test=notifications]");
    await expect.poll(() => notices(supplier)).toEqual([expect.stringContaining("收到调拨申请")]);
    await expect(notices(supplier)).resolves.toEqual([expect.stringContaining("堤防管涌，申请支援")]);

    const approved = await step(
      svc,
      "approveRequisition",
      "ApproveRequisitionInput",
      { requisitionId: asked.id, lines: [{ lineId: asked.lineOf(tents), approvedQuantity: "4" }] },
      pair.lender.officer,
    );
    expect(approved.requisition?.status).toBe("PARTIALLY_APPROVED");

    await requester.click("[data-test=notifications]");
    await expect.poll(() => notices(requester)).toEqual([expect.stringContaining("申请已批准")]);
    await screenshot(requester, "live-approved");
    await Promise.all([supplier.close(), requester.close()]);
  });
});
