import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { aCounty, aPerson, type ProvisionedCounty, unique } from "../support/factories.js";
import { type Sheet, workbookOf } from "../support/ledgerBook.js";
import { startTestService, type TestService } from "../support/service.js";
import { query, sql } from "../support/sql.js";
import { aPage, launch, screenshot, signIn, withPassword } from "./support.js";

let svc: TestService;
let browser: Browser;
let county: ProvisionedCounty;
/** The administrator at the console: a second one of the county, since no one resets their own password. */
let admin: string;
let password: string;
beforeAll(async () => {
  [svc, browser] = await Promise.all([startTestService(), launch()]);
  county = await aCounty(svc, { townships: 1 });
  admin = await aPerson(county, "COUNTY_ADMIN");
  password = await withPassword(svc, county, admin);
});
afterAll(async () => {
  await browser?.close();
  await svc?.stop();
});

async function adminPage(section: string): Promise<Page> {
  const page = await aPage(browser);
  await signIn(page, svc, admin, password);
  await page.click(`[data-test=admin-${section}]`);
  await page.waitForSelector(`[data-test=section-${section}]`);
  return page;
}

const DEPOTS = `query($region: ID!) { depots(first: 100, regionId: $region) { nodes { code nameZh kind custodianOrg region { id } } } }`;
const depotsOf = async (regionId: string) =>
  (
    await svc.gql<{
      depots: {
        nodes: { code: string; nameZh: string; kind: string; custodianOrg: string; region: { id: string } }[];
      };
    }>(DEPOTS, { region: regionId }, county.officer)
  ).data!.depots.nodes;

describe("the county administrator at the console", () => {
  it("adds a depot to a township and sees it in the list; a second one with the same code is refused at the code", async () => {
    const township = county.townships[0]!;
    const code = `NEW-${unique()}`;
    const page = await adminPage("depots");

    const fill = async () => {
      await page.click("[data-test=open-create-depot]");
      const form = page.locator("[data-test=form-create-depot]");
      await form.locator("input[name=code]").fill(code);
      await form.locator("select[name=kind]").selectOption("TOWNSHIP_DEPOT");
      await expect
        .poll(() => form.locator(`select[name=regionId] option[value="${township.id}"]`).count())
        .toBe(1);
      await form.locator("select[name=regionId]").selectOption(township.id);
      await form.locator("input[name=nameZh]").fill("东关应急物资储备点");
      await form.locator("input[name=custodianOrg]").fill("东关镇人民政府");
      await form.locator("input[name=address]").fill("东关镇政府院内");
      await form.locator("[data-test=save-depot]").click();
      return form;
    };
    await fill();

    await expect.poll(() => page.locator("[data-test=notice]").innerText()).toBe(`储备点 ${code} 已保存。`);
    const row = page.locator(`[data-test=depot-${code}]`);
    await expect
      .poll(() => row.innerText())
      .toMatch(/东关应急物资储备点\s+乡镇储备点\s+.*1镇\s+东关镇人民政府/);
    expect((await depotsOf(township.id)).filter((d) => d.code === code)).toEqual([
      {
        code,
        nameZh: "东关应急物资储备点",
        kind: "TOWNSHIP_DEPOT",
        custodianOrg: "东关镇人民政府",
        region: { id: township.id },
      },
    ]);
    await screenshot(page, "admin-depot-added");

    const again = await fill();
    await expect.poll(() => again.locator("[data-test=error-code]").innerText()).toBe("已存在相同的记录");
    expect((await depotsOf(township.id)).filter((d) => d.code === code)).toHaveLength(1);
    await screenshot(page, "admin-depot-refused");
    await page.close();
  });

  it("creates a person and is shown their one-time password once, which signs them in", async () => {
    const username = `new.person.${unique()}`;
    const page = await adminPage("users");

    await page.click("[data-test=open-create-user]");
    const form = page.locator("[data-test=form-create-user]");
    await form.locator("input[name=username]").fill(username);
    await form.locator("input[name=displayName]").fill("王保管");
    await form.locator("input[name=organisation]").fill("东关镇人民政府");
    await form.locator("input[name=phone]").fill("0371-5551234");
    await form.locator("[data-test=create-user]").click();

    const shown = page.locator("[data-test=one-time-password]");
    await expect.poll(() => shown.innerText()).toContain(`${username} 的一次性密码（只显示这一次`);
    const oneTime = (await page.locator("[data-test=otp-value]").innerText()).trim();
    expect(oneTime).toMatch(/^\S{8,}$/);
    await expect
      .poll(() => page.locator(`[data-test="user-${username}"]`).innerText())
      .toMatch(/王保管\s+东关镇人民政府\s+—\s+待改密码/);
    await screenshot(page, "admin-user-created");

    // the password the screen showed is the person's: it signs them in, bound to change it
    const signedIn = await fetch(svc.url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        query: `mutation($i: SignInInput!) { signIn(input: $i) { session { mustChangePassword } userErrors { code } } }`,
        variables: { i: { username, password: oneTime } },
      }),
    }).then(
      (r) => r.json() as Promise<{ data: { signIn: { session: { mustChangePassword: boolean } | null } } }>,
    );
    expect(signedIn.data.signIn.session).toEqual({ mustChangePassword: true });

    // once noted it is gone, and no reload brings it back
    await page.click("[data-test=otp-done]");
    await expect.poll(() => shown.count()).toBe(0);
    await page.reload();
    await page.click("[data-test=admin-users]");
    await page.waitForSelector(`[data-test="user-${username}"]`);
    expect(await page.locator("body").innerText()).not.toContain(oneTime);
    await page.close();
  });

  it("checks a 台账 with one bad row: the problem by row and code, nothing written; the corrected book imports", async () => {
    const good = `IMP_ROPE_${unique()}`;
    const bad = `IMP_TARP_${unique()}`;
    const book = (unit: string): Sheet[] => [
      {
        name: "物资目录",
        headers: [
          "物资编码",
          "物资名称",
          "英文名称",
          "类别",
          "单位",
          "管理方式",
          "保质期(天)",
          "轮换提前期(天)",
          "试机间隔(天)",
          "可归还",
        ],
        rows: [
          [good, "麻绳", "Rope", "防汛物资", "件", "散装", null, null, null, "否"],
          [bad, "篷布", "Tarpaulin", "防汛物资", unit, "散装", null, null, null, "否"],
        ],
      },
    ];
    const itemsNamed = async () =>
      (
        await query<{ code: string }>(
          svc.database,
          sql`select code from items where code in (${good}, ${bad}) order by code`,
        )
      ).map((r) => r.code);
    const page = await adminPage("import");

    const choose = async (bytes: Buffer) =>
      page.setInputFiles("[data-test=import-file]", {
        name: "台账.xlsx",
        mimeType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        buffer: bytes,
      });
    await choose(await workbookOf(book("捆")));
    await page.click("[data-test=import-check]");

    await expect
      .poll(() => page.locator("[data-test=import-outcome]").innerText())
      .toBe("发现 1 个问题，未写入任何数据。请改正后重新检查。");
    await expect
      .poll(() => page.locator("[data-test=import-problem]").allInnerTexts())
      .toEqual([expect.stringMatching(/^物资目录\s+3\s+单位\s+捆\s+UNKNOWN_UNIT\s+没有名为“捆”的计量单位$/)]);
    await expect
      .poll(() => page.locator("[data-test=summary-物资目录]").innerText())
      .toMatch(/^物资目录\s+2\s+1\s+0\s+1\s+0$/);
    expect(await page.locator("[data-test=import-commit]").isDisabled()).toBe(true);
    expect(await itemsNamed()).toEqual([]);
    await screenshot(page, "admin-import-dry-run");

    await choose(await workbookOf(book("件")));
    await page.click("[data-test=import-check]");
    await expect
      .poll(() => page.locator("[data-test=import-outcome]").innerText())
      .toBe("检查通过，未写入任何数据。可以确认导入。");
    expect(await itemsNamed()).toEqual([]);
    await page.click("[data-test=import-commit]");
    await expect
      .poll(() => page.locator("[data-test=import-outcome]").innerText())
      .toBe("已导入：新增 2 行，未变 0 行。");
    expect(await itemsNamed()).toEqual([good, bad].sort());
    await screenshot(page, "admin-import-committed");
    await page.close();
  });

  it("grants a keeper's role over a township and hands the township's depot over to them with a note", async () => {
    const township = county.townships[0]!;
    const depot = township.depot;
    const newcomer = await aPerson(county, "AUDITOR");
    const page = await adminPage("grants");

    const pick = async (scope: string, name: string, username: string) => {
      const at = page.locator(scope);
      await at.locator(`input[name=${name}-search]`).fill(username);
      const option = at.locator(`select[name=${name}] option`, { hasText: username });
      await expect.poll(() => option.count()).toBe(1);
      await at.locator(`select[name=${name}]`).selectOption({ label: (await option.innerText()).trim() });
    };
    await pick("[data-test=section-grants]", "userId", newcomer);
    const form = page.locator("[data-test=form-grant]");
    await form.locator("select[name=role]").selectOption("KEEPER");
    await expect
      .poll(() => form.locator(`select[name=regionId] option[value="${township.id}"]`).count())
      .toBe(1);
    await form.locator("select[name=regionId]").selectOption(township.id);
    await form.locator("[data-test=grant]").click();
    await expect
      .poll(() => page.locator("[data-test=grants] tbody tr").allInnerTexts())
      .toEqual([expect.stringMatching(/^保管员\s+测试\d+县1镇/), expect.stringMatching(/^审计\s+测试\d+县/)]);

    await page.click("[data-test=admin-keepers]");
    await page.locator("select[name=depotId]").selectOption(depot.id);
    await expect.poll(() => page.locator("[data-test=keepers]").innerText()).toContain(depot.keeper);
    const handover = page.locator("[data-test=form-handover]");
    await handover.locator("select[name=fromUserId]").selectOption({ index: 0 });
    await pick("[data-test=form-handover]", "toUserId", newcomer);
    await handover.locator("textarea[name=note]").fill("账物相符，钥匙两把已交接");
    await handover.locator("button[type=submit]").click();

    await expect.poll(() => page.locator("[data-test=notice]").innerText()).toBe("交接已记录。");
    await expect
      .poll(() => page.locator("[data-test=handover]").innerText())
      .toContain("账物相符，钥匙两把已交接");
    await expect.poll(() => page.locator("[data-test=keepers]").innerText()).toContain(newcomer);
    expect(await page.locator("[data-test=keepers]").innerText()).not.toContain(depot.keeper);
    const keepers = await svc.gql<{ depot: { keepers: { user: { username: string } }[] } }>(
      `query($id: ID!) { depot(id: $id) { keepers { user { username } } } }`,
      { id: depot.id },
      county.officer,
    );
    expect(keepers.data!.depot.keepers.map((k) => k.user.username)).toEqual([newcomer]);
    await screenshot(page, "admin-handover");
    await page.close();
  });

  it("adds an item to the catalogue, records an agreement for it, ends the agreement and retires the item", async () => {
    const code = `ADMIN_ITEM_${unique()}`;
    const contractNo = `XY-${unique()}`;
    const page = await adminPage("catalogue");

    await page.click("[data-test=open-create-item]");
    const item = page.locator("[data-test=form-create-item]");
    await item.locator("input[name=code]").fill(code);
    await item.locator("input[name=nameZh]").fill("折叠床");
    await item.locator("input[name=nameEn]").fill("Folding bed");
    await item.locator("select[name=category]").selectOption("SHELTER");
    await item.locator("input[name=unitCode]").fill("piece");
    await item.locator("[data-test=save-item]").click();
    await expect.poll(() => page.locator("[data-test=notice]").innerText()).toBe(`物资 ${code} 已保存。`);
    // the catalogue is shared and oldest first: the new item is on its last page
    const row = page.locator(`[data-test=item-${code}]`);
    while ((await row.count()) === 0 && (await page.locator("[data-test=next-page]").isEnabled()))
      await page.click("[data-test=next-page]");
    await expect.poll(() => row.innerText()).toMatch(/折叠床\s+安置帐篷\s+件\s+散装/);

    await page.click("[data-test=admin-agreements]");
    await page.click("[data-test=open-create-agreement]");
    const agreement = page.locator("[data-test=form-create-agreement]");
    await agreement.locator("input[name=contractNo]").fill(contractNo);
    await agreement.locator("input[name=supplier]").fill("县城百货批发部");
    await agreement.locator("input[name=contact]").fill("李经理 13800000000");
    await expect
      .poll(() => agreement.locator(`select[name=regionId] option[value="${county.id}"]`).count())
      .toBe(1);
    await agreement.locator("select[name=regionId]").selectOption(county.id);
    await agreement.locator("input[name=validFrom]").fill("2025-01-01");
    await agreement.locator("input[name=validUntil]").fill("2027-12-31");
    const bed = agreement.locator("select[name=line-item-0] option", { hasText: code });
    await expect.poll(() => bed.count()).toBe(1);
    await agreement
      .locator("select[name=line-item-0]")
      .selectOption({ label: (await bed.innerText()).trim() });
    await agreement.locator("input[name=line-quantity-0]").fill("200");
    await agreement.locator("[data-test=save-agreement]").click();
    await expect
      .poll(() => page.locator("[data-test=notice]").innerText())
      .toBe(`合同 ${contractNo} 已保存。`);
    const contract = page.locator(`[data-test=agreement-${contractNo}]`);
    await expect
      .poll(() => contract.innerText())
      .toMatch(/县城百货批发部\s+李经理 13800000000\s+测试\d+县\s+2025-01-01 – 2027-12-31\s+折叠床 200件/);
    await screenshot(page, "admin-agreement");

    await contract.locator("button", { hasText: "终止" }).click();
    await page.locator("[data-test=form-end-agreement] input[name=reason]").fill("供货商停业");
    await page.locator("[data-test=form-end-agreement] button[type=submit]").click();
    await expect
      .poll(() => page.locator("[data-test=notice]").innerText())
      .toBe(`合同 ${contractNo} 已终止。`);
    await expect.poll(() => contract.innerText()).toContain("已终止");
    const ended = await svc.gql<{
      agreements: { nodes: { contractNo: string; endedReason: string | null }[] };
    }>( // validOn: null, since an omitted validOn answers only the agreements in force today
      `query { agreements(first: 100, validOn: null) { nodes { contractNo endedReason } } }`,
      {},
      county.officer,
    );
    expect(ended.data!.agreements.nodes.filter((a) => a.contractNo === contractNo)).toEqual([
      { contractNo, endedReason: "供货商停业" },
    ]);

    await page.click("[data-test=admin-catalogue]");
    while ((await row.count()) === 0 && (await page.locator("[data-test=next-page]").isEnabled()))
      await page.click("[data-test=next-page]");
    await row.locator("button", { hasText: "停用" }).click();
    await page.locator("[data-test=form-retire-item] input[name=reason]").fill("改用新型号");
    await page.locator("[data-test=form-retire-item] button[type=submit]").click();
    await expect.poll(() => page.locator("[data-test=notice]").innerText()).toBe(`物资 ${code} 已停用。`);
    await expect.poll(() => row.innerText()).toContain("已停用");
    await page.close();
  });
});
