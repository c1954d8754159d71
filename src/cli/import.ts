import { readFile, writeFile } from "node:fs/promises";
import cliProgress from "cli-progress";
import { type ImportReport, importFile } from "../app/import/importFile.js";
import { writeTemplate } from "../app/import/template.js";
import { tokenSettings, verifyToken } from "../auth/tokens.js";
import { verifyPassword } from "../auth/passwords.js";
import { ConfigError, loadConfig } from "../config.js";
import type { Database } from "../db/client.js";
import * as users from "../db/repositories/users.js";
import { SHEETS } from "../domain/import/sheets.js";
import { isDomainError } from "../domain/shared/errors.js";
import { DataDirInUse } from "../shared/dataDirLock.js";
import { readPassword } from "./prompt.js";
import { option, withAppDeps } from "./session.js";

// `npm run import -- 台账.xlsx [--sheet 库存] [--commit] [--lang en] (--username u | --token t)`, or
// `npm run import -- --template 台账模板.xlsx`. A dry run unless --commit; exit 2 when the file has problems.
const USAGE =
  "usage: npm run import -- <file.xlsx|file.csv> [--sheet <name>] [--commit] [--lang en] (--username <name> | --token <token>)\n       npm run import -- --template <out.xlsx>";

const VALUED = new Set(["--sheet", "--lang", "--username", "--token", "--template"]);
const positional = (args: string[]) =>
  args.filter((a, i) => !a.startsWith("--") && !VALUED.has(args[i - 1] ?? ""));

/** The units a template offers: the ones county 台账 use (件, 吨, 立方米, 千克, 平方米, 台, 辆). */
const TEMPLATE_UNITS = ["件", "吨", "立方米", "千克", "平方米", "台", "辆"];

async function template(out: string): Promise<number> {
  await writeFile(out, await writeTemplate(TEMPLATE_UNITS));
  console.log(
    `wrote ${out}: sheets ${SHEETS.map((s) => s.zh).join(", ")}, headers, one example row each, drop-down lists`,
  );
  return 0;
}

/** The administrator the import acts as: a token the service would accept, or a username and password. */
async function signedIn(args: string[], database: Database, config: ReturnType<typeof loadConfig>) {
  const token = option(args, "token");
  let username = option(args, "username");
  if (token) username = await verifyToken(await tokenSettings(config), token);
  else if (username) {
    const user = await users.findByUsername(database.db, username.trim().toLowerCase());
    const password = await readPassword(`password for ${username}: `);
    if (!user?.passwordHash || user.disabledAt || !(await verifyPassword(password, user.passwordHash)))
      throw new ConfigError("wrong username or password; nothing was read");
  } else throw new ConfigError(USAGE);
  const loaded = await users.loadActor(database.db, username.trim().toLowerCase());
  if (!loaded || loaded.user.disabledAt) throw new ConfigError("no such user; nothing was read");
  return loaded.actor;
}

/** A bar per sheet on a terminal; elsewhere (a pipe, a log) a plain line at each tenth. */
function progress() {
  if (process.stderr.isTTY) {
    const bars = new cliProgress.MultiBar(
      { format: " {sheet} [{bar}] {value}/{total}", hideCursor: true },
      cliProgress.Presets.shades_classic,
    );
    const open = new Map<string, cliProgress.SingleBar>();
    return {
      on: (sheet: string, done: number, total: number) => {
        const bar = open.get(sheet) ?? bars.create(total, 0, { sheet });
        open.set(sheet, bar);
        bar.update(done + 1, { sheet });
      },
      stop: () => bars.stop(),
    };
  }
  return {
    on: (sheet: string, done: number, total: number) => {
      if ((done + 1) % Math.max(1, Math.ceil(total / 10)) === 0 || done + 1 === total)
        process.stderr.write(`${sheet}: ${done + 1}/${total}\n`);
    },
    stop: () => {},
  };
}

function print(report: ImportReport, lang: "zh" | "en"): void {
  for (const n of report.notices)
    console.log(
      lang === "en"
        ? `${n.sheet}: ignored columns ${n.ignored.join(", ")}`
        : `${n.sheet}：忽略了列 ${n.ignored.join("、")}`,
    );
  for (const p of report.problems)
    console.log(
      `${p.sheet} ${lang === "en" ? "row" : "第"}${p.row}${lang === "en" ? "" : "行"} ${p.column} ${JSON.stringify(p.value)} ${p.code}: ${p.message[lang]}`,
    );
  for (const s of report.sheets)
    console.log(
      lang === "en"
        ? `${s.sheet}: ${s.read} rows read, ${s.created} created, ${s.unchanged} unchanged, ${s.refused} refused, ${s.skipped} skipped`
        : `${s.sheet}：读取 ${s.read} 行，新建 ${s.created}，未变 ${s.unchanged}，拒绝 ${s.refused}，跳过 ${s.skipped}`,
    );
  const verdict = report.committed
    ? ["已写入。", "committed."]
    : report.problems.length > 0
      ? [
          `发现 ${report.problems.length} 个问题，未写入任何内容。`,
          `${report.problems.length} problems found; nothing was written.`,
        ]
      : ["试导入通过，未写入；加 --commit 写入。", "dry run passed, nothing written; add --commit to write."];
  console.log(verdict[lang === "en" ? 1 : 0]);
}

async function main(args: string[]): Promise<number> {
  const out = option(args, "template");
  const [file] = positional(args);
  if (!out && !file) throw new ConfigError(USAGE);
  // the template needs no database, so it can be written beside a running service
  if (out) return template(out);
  const config = loadConfig();
  return withAppDeps(config, async (deps) => {
    const actor = await signedIn(args, deps.database, config);
    const bytes = await readFile(file!);
    const bar = progress();
    const report = await importFile(deps, actor, bytes, {
      commit: args.includes("--commit"),
      sheet: option(args, "sheet"),
      onProgress: bar.on,
    }).finally(bar.stop);
    print(report, option(args, "lang") === "en" ? "en" : "zh");
    return report.problems.length > 0 ? 2 : 0;
  });
}

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (e) {
  const message =
    isDomainError(e) || e instanceof ConfigError || e instanceof DataDirInUse ? e.message : String(e);
  console.error(`import: ${message}`);
  process.exitCode = 1;
}
