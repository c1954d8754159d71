import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { pino } from "pino";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../src/config.js";
import { type Database, openDatabase } from "../src/db/client.js";
import { type Service, startService } from "../src/service.js";
import { adminUrl, databaseUrl, engine } from "./support/engine.js";

/**
 * A county that is not the demo: 永安县 starts from an empty database and is built through the admin CLI and the
 * API alone, the way a county bureau adopting the service would do it.
 */
const root = path.resolve(import.meta.dirname, "..");
const SECRET = "new-county-secret-that-is-at-least-32-characters";
const ADMIN_PASSWORD = "永安县应急局管理员2026";
const dataDir = mkdtempSync(path.join(tmpdir(), "rl-newcounty-"));
const dbName = `rl_newcounty_${process.pid}`;

let database: Database;
let service: Service;
let env: Record<string, string>;

function cli(args: string[], input: string) {
  const result = spawnSync(process.execPath, ["--import", "tsx", "src/cli/admin.ts", ...args], {
    cwd: root,
    env: { PATH: process.env.PATH ?? "", ...env },
    input,
    encoding: "utf8",
    timeout: 90_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

beforeAll(async () => {
  env = { DATA_DIR: dataDir, JWT_SECRET: SECRET, NODE_ENV: "test", SEED_DEMO: "false" };
  if (engine === "postgres") {
    const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
    await admin.unsafe(`drop database if exists ${dbName}`);
    await admin.unsafe(`create database ${dbName}`);
    await admin.end();
    env.DATABASE_URL = databaseUrl(dbName);
  }
});

afterAll(async () => {
  await service?.close();
  await database?.close();
  rmSync(dataDir, { recursive: true, force: true });
  if (engine === "postgres") {
    const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
    await admin.unsafe(`drop database if exists ${dbName} with (force)`);
    await admin.end();
  }
});

async function start(): Promise<void> {
  database = await openDatabase({
    databaseUrl: env.DATABASE_URL,
    dataDir: env.DATABASE_URL ? undefined : `${dataDir}/pglite`,
    migrate: true,
  });
  const config = loadConfig({ ...env, PORT: "0", HOST: "127.0.0.1", ACTOR_CACHE_SECONDS: "5" });
  service = await startService(config, { database, logger: pino({ level: "silent" }) });
}

interface Result<T> {
  data: T | null;
  errors?: { message: string; extensions?: { code?: string } }[];
}

async function gql<T = Record<string, unknown>>(
  query: string,
  variables: Record<string, unknown>,
  token: string | null,
): Promise<Result<T>> {
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (token) headers.authorization = `Bearer ${token}`;
  const res = await fetch(service.url, {
    method: "POST",
    headers,
    body: JSON.stringify({ query, variables }),
  });
  return (await res.json()) as Result<T>;
}

/** Mutations whose input type is shared with another, and so not named after the mutation. */
const INPUT_TYPES: Record<string, string> = {
  grantRole: "RoleGrantInput",
  revokeRole: "RoleGrantInput",
  resetPassword: "UserStepInput",
};
const inputTypeOf = (name: string) => INPUT_TYPES[name] ?? `${name[0]!.toUpperCase()}${name.slice(1)}Input`;

/** Runs a mutation and returns its payload, failing loudly on any refusal. */
async function ok<T = Record<string, unknown>>(
  name: string,
  input: Record<string, unknown>,
  selection: string,
  token: string,
): Promise<T> {
  const res = await gql<Record<string, T & { userErrors: unknown[] }>>(
    `mutation($input: ${inputTypeOf(name)}!) { ${name}(input: $input) { ${selection} userErrors { code message field } } }`,
    { input },
    token,
  );
  expect(res.errors, `${name}: ${JSON.stringify(res.errors)}`).toBeUndefined();
  const payload = res.data![name]!;
  expect(payload.userErrors, `${name}: ${JSON.stringify(payload.userErrors)}`).toEqual([]);
  return payload;
}

const SIGN_IN = `mutation($input: SignInInput!) { signIn(input: $input) {
  session { accessToken refreshToken mustChangePassword } userErrors { code message } } }`;

async function signIn(username: string, password: string) {
  const res = await gql<{
    signIn: {
      session: { accessToken: string; refreshToken: string; mustChangePassword: boolean } | null;
      userErrors: { code: string }[];
    };
  }>(SIGN_IN, { input: { username, password } }, null);
  expect(res.errors).toBeUndefined();
  return res.data!.signIn;
}

/** A new person's first sign-in: the one-time password, a password of their own, and a fresh session. */
async function firstSignIn(username: string, oneTimePassword: string, password: string): Promise<string> {
  const first = await signIn(username, oneTimePassword);
  expect(first.session?.mustChangePassword).toBe(true);
  await ok(
    "changePassword",
    { currentPassword: oneTimePassword, newPassword: password },
    "user { username }",
    first.session!.accessToken,
  );
  const second = await signIn(username, password);
  expect(second.session?.mustChangePassword).toBe(false);
  return second.session!.accessToken;
}

let adminToken: string;
let countyId: string;
const regionIds = new Map<string, string>();
const depotIds = new Map<string, string>();
const userIds = new Map<string, string>();
const oneTime = new Map<string, string>();
const itemIds = new Map<string, string>();

describe("a county that is not the demo starts on its own data", () => {
  it("initialises its first administrator from the command line, once", async () => {
    const first = cli(
      ["init", "--county", "341822", "--name", "永安县", "--username", "yongan.admin"],
      `${ADMIN_PASSWORD}\n`,
    );
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toMatch(/signIn/);
    const again = cli(
      ["init", "--county", "341822", "--name", "永安县", "--username", "other.admin"],
      `${ADMIN_PASSWORD}\n`,
    );
    expect(again.code).not.toBe(0);
    expect(again.stderr).toMatch(/341822/);
    await start();
  });

  it("signs the administrator in with a password", async () => {
    const wrong = await signIn("yongan.admin", "not-the-password-at-all");
    expect(wrong.userErrors.map((e) => e.code)).toEqual(["INVALID_CREDENTIALS"]);
    const res = await signIn("yongan.admin", ADMIN_PASSWORD);
    expect(res.userErrors).toEqual([]);
    adminToken = res.session!.accessToken;
    const me = await gql<{
      me: { roles: string[]; grants: { region: { id: string; nameZh: string; level: string } }[] };
    }>("{ me { roles grants { region { id nameZh level } } } }", {}, adminToken);
    expect(me.data!.me.roles).toEqual(["COUNTY_ADMIN"]);
    expect(me.data!.me.grants[0]!.region).toMatchObject({ nameZh: "永安县", level: "COUNTY" });
    countyId = me.data!.me.grants[0]!.region.id;
  });

  it("builds three townships with a village each, and their mutual aid", async () => {
    const townships = [
      ["341822100000", "城南镇"],
      ["341822101000", "河西乡"],
      ["341822102000", "石门镇"],
    ] as const;
    for (const [i, [code, name]] of townships.entries()) {
      const t = await ok<{ region: { id: string; level: string } }>(
        "createRegion",
        { parentId: countyId, divisionCode: code, nameZh: name, population: 20_000 + i * 5_000 },
        "region { id level }",
        adminToken,
      );
      expect(t.region.level).toBe("TOWNSHIP");
      regionIds.set(code, t.region.id);
      const villageCode = `${code.slice(0, 9)}201`;
      const v = await ok<{ region: { id: string; level: string } }>(
        "createRegion",
        { parentId: t.region.id, divisionCode: villageCode, nameZh: `${name}一村`, population: 1_200 },
        "region { id level }",
        adminToken,
      );
      expect(v.region.level).toBe("VILLAGE");
      regionIds.set(villageCode, v.region.id);
    }
    const t = (code: string) => regionIds.get(code)!;
    await ok(
      "setMutualAid",
      { regionId: t("341822100000"), neighbourId: t("341822101000"), travelMinutes: 30 },
      "region { id }",
      adminToken,
    );
    await ok(
      "setMutualAid",
      { regionId: t("341822101000"), neighbourId: t("341822102000"), travelMinutes: 45 },
      "region { id }",
      adminToken,
    );
    const tree = await gql<{ node: { children: { nameZh: string; children: { nameZh: string }[] }[] } }>(
      "query($id: ID!) { node(id: $id) { ... on Region { children { nameZh children { nameZh } } } } }",
      { id: countyId },
      adminToken,
    );
    expect(tree.data!.node.children.map((c) => [c.nameZh, c.children.map((v) => v.nameZh)])).toEqual([
      ["城南镇", ["城南镇一村"]],
      ["河西乡", ["河西乡一村"]],
      ["石门镇", ["石门镇一村"]],
    ]);
  });

  it("opens six depots", async () => {
    const depots = [
      { code: "YA-CW", kind: "COUNTY_WAREHOUSE", regionId: countyId, nameZh: "永安县救灾物资储备库" },
      {
        code: "YA-AR",
        kind: "AGREEMENT_RESERVE",
        regionId: countyId,
        nameZh: "永安华联超市协议储备",
        callUpLeadHours: 12,
      },
      {
        code: "YA-TD-CN",
        kind: "TOWNSHIP_DEPOT",
        regionId: regionIds.get("341822100000"),
        nameZh: "城南镇储备库",
      },
      {
        code: "YA-TD-HX",
        kind: "TOWNSHIP_DEPOT",
        regionId: regionIds.get("341822101000"),
        nameZh: "河西乡储备库",
      },
      {
        code: "YA-TD-SM",
        kind: "TOWNSHIP_DEPOT",
        regionId: regionIds.get("341822102000"),
        nameZh: "石门镇储备库",
      },
      {
        code: "YA-VP-CN1",
        kind: "VILLAGE_POINT",
        regionId: regionIds.get("341822100201"),
        nameZh: "城南镇一村存放点",
      },
    ];
    for (const d of depots) {
      const res = await ok<{ depot: { id: string; code: string } }>(
        "createDepot",
        { custodianOrg: "永安县应急管理局", address: "永安县", ...d },
        "depot { id code }",
        adminToken,
      );
      depotIds.set(d.code, res.depot.id);
    }
    expect(depotIds.size).toBe(6);
  });

  it("adds eight people with their roles", async () => {
    const people = [
      ["ya.officer", "县应急局 周平", "COUNTY_OFFICER", countyId],
      ["ya.auditor", "县审计局 吴洁", "AUDITOR", countyId],
      ["cn.officer", "城南镇应急办 郑强", "TOWNSHIP_OFFICER", regionIds.get("341822100000")!],
      ["hx.officer", "河西乡应急办 冯丽", "TOWNSHIP_OFFICER", regionIds.get("341822101000")!],
      ["sm.officer", "石门镇应急办 陈涛", "TOWNSHIP_OFFICER", regionIds.get("341822102000")!],
      ["cn.keeper", "城南镇 保管员 何军", "KEEPER", regionIds.get("341822100000")!],
      ["cn.keeper2", "城南镇 保管员 吕芳", "KEEPER", regionIds.get("341822100000")!],
      ["hx.keeper", "河西乡 保管员 施伟", "KEEPER", regionIds.get("341822101000")!],
    ] as const;
    for (const [username, displayName, role, regionId] of people) {
      const created = await ok<{ user: { id: string }; oneTimePassword: string }>(
        "createUser",
        { countyId, username, displayName, organisation: "永安县", phone: "0550-1234567" },
        "user { id } oneTimePassword",
        adminToken,
      );
      userIds.set(username, created.user.id);
      oneTime.set(username, created.oneTimePassword);
      await ok("grantRole", { userId: created.user.id, role, regionId }, "user { id }", adminToken);
    }
    expect(userIds.size).toBe(8);
    await ok(
      "assignKeeper",
      { depotId: depotIds.get("YA-TD-CN"), userId: userIds.get("cn.keeper") },
      "depot { id }",
      adminToken,
    );
    await ok(
      "assignKeeper",
      { depotId: depotIds.get("YA-TD-HX"), userId: userIds.get("hx.keeper") },
      "depot { id }",
      adminToken,
    );
  });

  it("sets up units, five items and an agreement reserve", async () => {
    for (const unit of [
      { code: "PIECE", nameZh: "件", nameEn: "piece", scale: 0 },
      { code: "TONNE", nameZh: "吨", nameEn: "tonne", scale: 3 },
      { code: "UNIT", nameZh: "台", nameEn: "unit", scale: 0 },
    ])
      await ok("createUnit", unit, "unit { code }", adminToken);
    const items = [
      {
        code: "YA-BAG",
        nameZh: "编织袋",
        category: "FLOOD_CONTROL",
        unitCode: "PIECE",
        trackingMode: "BULK",
        returnable: false,
      },
      {
        code: "YA-CEMENT",
        nameZh: "水泥",
        category: "CONSTRUCTION_MATERIAL",
        unitCode: "TONNE",
        trackingMode: "LOT",
        shelfLifeDays: 90,
        returnable: false,
      },
      {
        code: "YA-GEN",
        nameZh: "30千瓦发电机",
        category: "POWER",
        unitCode: "UNIT",
        trackingMode: "SERIAL",
        testRunIntervalDays: 90,
        returnable: true,
      },
      {
        code: "YA-JACKET",
        nameZh: "救生衣",
        category: "LIFE_SAVING",
        unitCode: "PIECE",
        trackingMode: "BULK",
        returnable: true,
      },
      {
        code: "YA-WATER",
        nameZh: "瓶装饮用水",
        category: "DRINKING_WATER",
        classificationCode: "1020101",
        unitCode: "PIECE",
        trackingMode: "LOT",
        shelfLifeDays: 365,
        returnable: false,
      },
    ];
    for (const item of items) {
      const res = await ok<{ item: { id: string } }>("createItem", item, "item { id }", adminToken);
      itemIds.set(item.code, res.item.id);
    }
    const agreement = await ok<{ agreement: { id: string } }>(
      "createAgreement",
      {
        regionId: countyId,
        depotId: depotIds.get("YA-AR"),
        supplier: "永安华联超市有限公司",
        contact: "刘经理 13900000000",
        contractNo: "YA-XY-2026-01",
        validFrom: "2026-01-01",
        validUntil: "2027-12-31",
        leadHours: 12,
        lines: [{ itemId: itemIds.get("YA-WATER"), quantity: "5000" }],
      },
      "agreement { id }",
      adminToken,
    );
    expect(agreement.agreement.id).toBeTruthy();
  });

  let keeperToken: string;
  const RECEIVE = `mutation($input: ReceiveStockInput!) { receiveStock(input: $input) {
    lots { onHand } userErrors { code } } }`;
  const receive = (token: string, lotCode: string) =>
    gql<{ receiveStock: { lots: { onHand: string }[]; userErrors: { code: string }[] } | null }>(
      RECEIVE,
      {
        input: {
          depotId: depotIds.get("YA-TD-CN"),
          itemId: itemIds.get("YA-BAG"),
          quantity: "20000",
          lotCode,
          receivedOn: "2026-11-20",
          source: "PURCHASE",
          reason: "期初入库",
        },
      },
      token,
    );

  it("lets the keeper sign in with a password of their own and receive stock at their depot", async () => {
    keeperToken = await firstSignIn("cn.keeper", oneTime.get("cn.keeper")!, "城南镇保管员的密码2026");
    const res = await receive(keeperToken, "YA-BAG-001");
    expect(res.errors).toBeUndefined();
    expect(res.data!.receiveStock!.userErrors).toEqual([]);
    expect(res.data!.receiveStock!.lots).toEqual([{ onHand: "20000" }]);
  });

  it("hands the depot over: the old keeper is refused, the new one accepted", async () => {
    const newKeeperToken = await firstSignIn(
      "cn.keeper2",
      oneTime.get("cn.keeper2")!,
      "城南镇新保管员密码2026",
    );
    const handover = await ok<{
      handover: { from: { username: string }; to: { username: string }; stock: { onHand: string }[] };
    }>(
      "handOverDepot",
      {
        depotId: depotIds.get("YA-TD-CN"),
        fromUserId: userIds.get("cn.keeper"),
        toUserId: userIds.get("cn.keeper2"),
        note: "何军调任，吕芳接管",
      },
      "handover { from { username } to { username } stock { onHand } }",
      adminToken,
    );
    expect(handover.handover).toEqual({
      from: { username: "cn.keeper" },
      to: { username: "cn.keeper2" },
      stock: [{ onHand: "20000" }],
    });
    const refused = await receive(keeperToken, "YA-BAG-002");
    const codes = [
      ...(refused.errors ?? []).map((e) => e.extensions?.code),
      ...(refused.data?.receiveStock?.userErrors ?? []).map((e) => e.code),
    ];
    expect(codes.length).toBe(1);
    expect(["FORBIDDEN", "NOT_FOUND"]).toContain(codes[0]);
    const accepted = await receive(newKeeperToken, "YA-BAG-003");
    expect(accepted.data!.receiveStock!.userErrors).toEqual([]);
    const depot = await gql<{ node: { keepers: { user: { username: string }; until: string | null }[] } }>(
      "query($id: ID!) { node(id: $id) { ... on Depot { keepers(includePast: true) { user { username } until } } } }",
      { id: depotIds.get("YA-TD-CN") },
      adminToken,
    );
    expect(depot.data!.node.keepers.map((k) => [k.user.username, k.until === null])).toEqual(
      expect.arrayContaining([
        ["cn.keeper", false],
        ["cn.keeper2", true],
      ]),
    );
  });

  it("has every administrative change in the audit log", async () => {
    const seen = new Map<string, number>();
    let after: string | null = null;
    for (;;) {
      const page: Result<{
        auditEvents: { nodes: { action: string }[]; pageInfo: { hasNextPage: boolean; endCursor: string } };
      }> = await gql(
        "query($after: String) { auditEvents(first: 100, after: $after) { nodes { action } pageInfo { hasNextPage endCursor } } }",
        { after },
        adminToken,
      );
      for (const n of page.data!.auditEvents.nodes) seen.set(n.action, (seen.get(n.action) ?? 0) + 1);
      if (!page.data!.auditEvents.pageInfo.hasNextPage) break;
      after = page.data!.auditEvents.pageInfo.endCursor;
    }
    expect(Object.fromEntries(seen)).toMatchObject({
      createRegion: 6,
      setMutualAid: 2,
      createDepot: 6,
      createUser: 8,
      grantRole: 8,
      assignKeeper: 2,
      createUnit: 3,
      createItem: 5,
      createAgreement: 1,
      handOverDepot: 1,
    });
  });

  it("refuses every administrative mutation to the auditor and a township officer", async () => {
    const auditorToken = await firstSignIn(
      "ya.auditor",
      oneTime.get("ya.auditor")!,
      "县审计局吴洁的密码2026",
    );
    const officerToken = await firstSignIn("cn.officer", oneTime.get("cn.officer")!, "城南镇应急办郑强密码");
    const attempts: [string, Record<string, unknown>][] = [
      ["createRegion", { parentId: countyId, divisionCode: "341822103000", nameZh: "新镇", population: 1 }],
      ["updateRegion", { regionId: countyId, population: 1 }],
      [
        "setMutualAid",
        {
          regionId: regionIds.get("341822100000"),
          neighbourId: regionIds.get("341822102000"),
          travelMinutes: 9,
        },
      ],
      [
        "createDepot",
        { code: "X", kind: "TOWNSHIP_DEPOT", regionId: countyId, nameZh: "X", custodianOrg: "X" },
      ],
      ["closeDepot", { depotId: depotIds.get("YA-VP-CN1"), reason: "x" }],
      ["createUser", { countyId, username: "intruder", displayName: "X", organisation: "X", phone: "" }],
      ["grantRole", { userId: userIds.get("hx.keeper"), role: "COUNTY_OFFICER", regionId: countyId }],
      ["disableUser", { userId: userIds.get("hx.keeper"), reason: "x" }],
      ["resetPassword", { userId: userIds.get("hx.keeper") }],
      ["assignKeeper", { depotId: depotIds.get("YA-TD-SM"), userId: userIds.get("hx.keeper") }],
      [
        "createItem",
        {
          code: "X",
          nameZh: "X",
          category: "POWER",
          unitCode: "UNIT",
          trackingMode: "BULK",
          returnable: false,
        },
      ],
      ["createUnit", { code: "X", nameZh: "X", scale: 0 }],
      ["endAgreement", { agreementId: "x", reason: "x" }],
    ];
    for (const token of [auditorToken, officerToken]) {
      for (const [name, input] of attempts) {
        const res = await gql(
          `mutation($input: ${inputTypeOf(name)}!) { ${name}(input: $input) { userErrors { code } } }`,
          { input },
          token,
        );
        expect(res.errors?.[0]?.extensions?.code, name).toBe("FORBIDDEN");
      }
    }
    const users = await gql<{ users: { nodes: { username: string }[] } }>(
      "{ users(first: 100) { nodes { username } } }",
      {},
      adminToken,
    );
    expect(users.data!.users.nodes.map((u) => u.username)).not.toContain("intruder");
  });
});
