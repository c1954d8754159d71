import { existsSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import path from "node:path";
import { type Browser, chromium, type Page } from "playwright-core";
import { expect } from "vitest";
import type { County } from "../support/factories.js";
import type { TestService } from "../support/service.js";

/** Debian's chromium (.ci/run installs it with a CJK font); CHROMIUM_PATH points elsewhere. */
const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const OUTPUT = path.resolve("test-output/screens");

export async function launch(): Promise<Browser> {
  if (!existsSync(CHROMIUM))
    throw new Error(
      `no Chromium at ${CHROMIUM}: apt-get install chromium fonts-wqy-microhei (or set CHROMIUM_PATH)`,
    );
  return chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox", "--disable-dev-shm-usage"] });
}

/** The console's address on a test service: the origin its /graphql is served from. */
export const consoleUrl = (svc: TestService) => svc.url.replace(/\/graphql$/, "/");

/** A page of its own (cookies and storage of its own) at a viewport, with page errors failing the test. */
export async function aPage(browser: Browser, viewport = { width: 1280, height: 900 }): Promise<Page> {
  const context = await browser.newContext({ viewport, locale: "zh-CN", timezoneId: "Asia/Shanghai" });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(e.message));
  page.on("close", () => expect(errors, "errors thrown in the page").toEqual([]));
  return page;
}

export async function screenshot(page: Page, name: string): Promise<void> {
  await mkdir(OUTPUT, { recursive: true });
  await page.screenshot({ path: path.join(OUTPUT, `${name}.png`), fullPage: true });
}

const RESET = `mutation($i: UserStepInput!) { resetPassword(input: $i) { oneTimePassword userErrors { code } } }`;
const CHANGE = `mutation($i: ChangePasswordInput!) { changePassword(input: $i) { userErrors { code } } }`;
const USER_ID = `query($u: String!) { users(first: 100, filter: { search: $u }) { nodes { id username } } }`;

/**
 * Gives a factory-made person a password of their own, as they would get one: the administrator resets it (a
 * one-time password) and the person changes it. Returns the password to type in the sign-in form.
 */
export async function withPassword(svc: TestService, county: County, username: string): Promise<string> {
  const found = await svc.gql<{ users: { nodes: { id: string; username: string }[] } }>(
    USER_ID,
    { u: username },
    county.admin,
  );
  const id = found.data?.users.nodes.find((u) => u.username === username)?.id;
  if (!id) throw new Error(`no user ${username}: ${JSON.stringify(found.errors)}`);
  const reset = await svc.gql<{ resetPassword: { oneTimePassword: string | null } }>(
    RESET,
    { i: { userId: id } },
    county.admin,
  );
  const oneTime = reset.data?.resetPassword.oneTimePassword;
  if (!oneTime) throw new Error(`resetPassword refused: ${JSON.stringify(reset)}`);
  const password = `browser-test-${username}`;
  const signedIn = await fetch(svc.url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({
      query: `mutation($i: SignInInput!) { signIn(input: $i) { session { accessToken } } }`,
      variables: { i: { username, password: oneTime } },
    }),
  }).then((r) => r.json() as Promise<{ data: { signIn: { session: { accessToken: string } } } }>);
  const changed = await fetch(svc.url, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      authorization: `Bearer ${signedIn.data.signIn.session.accessToken}`,
    },
    body: JSON.stringify({
      query: CHANGE,
      variables: { i: { currentPassword: oneTime, newPassword: password } },
    }),
  }).then((r) => r.json() as Promise<{ data: { changePassword: { userErrors: unknown[] } } }>);
  expect(changed.data.changePassword.userErrors).toEqual([]);
  return password;
}

/** Signs in through the console's own form and waits for the desk to show. */
export async function signIn(
  page: Page,
  svc: TestService,
  username: string,
  password: string,
): Promise<void> {
  await page.goto(consoleUrl(svc));
  await page.fill("input[name=username]", username);
  await page.fill("input[name=password]", password);
  await page.click("form[data-test=sign-in] button[type=submit]");
  await page.waitForSelector("[data-test=sign-out]");
}
