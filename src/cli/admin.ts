import { countyDivisionCode, initCounty } from "../app/setup/initCounty.js";
import { ConfigError, loadConfig } from "../config.js";
import { checkPassword, checkUsername } from "../domain/account/account.js";
import { isDomainError } from "../domain/shared/errors.js";
import { DataDirInUse } from "../shared/dataDirLock.js";
import { readPassword } from "./prompt.js";
import { option, withAppDeps } from "./session.js";

// `npm run admin -- init --county 130123 --name 永安县 --username yongan.admin [--population 380000]`:
// a county on its own data. The password is asked for on the terminal, or read from stdin when piped.
const USAGE =
  "usage: npm run admin -- init --county <6- or 12-digit division code> --name <county name> --username <name> [--population <n>] [--display-name <name>]";

async function init(args: string[]): Promise<void> {
  const county = option(args, "county");
  const name = option(args, "name");
  const username = option(args, "username");
  const population = option(args, "population");
  if (!county || !name || !username) throw new ConfigError(USAGE);
  if (population !== undefined && !/^\d+$/.test(population))
    throw new ConfigError("--population is a whole number");
  const config = loadConfig();
  countyDivisionCode(county);
  checkUsername(username.trim().toLowerCase());
  let password = await readPassword(`password for ${username} (10 to 256 characters): `);
  if (process.stdin.isTTY && password !== (await readPassword("the same again: ")))
    throw new ConfigError("the two passwords differ; nothing was written");
  // refused before the database is opened (and migrated): a typo leaves no trace
  checkPassword(password, ["password"]);
  await withAppDeps(config, async (deps) => {
    const { county: region, admin } = await initCounty(deps, {
      divisionCode: county,
      nameZh: name,
      population: population === undefined ? undefined : Number(population),
      username,
      displayName: option(args, "display-name"),
      password,
    });
    password = "";
    const url = `http://localhost:${config.PORT}/graphql`;
    console.log(`
  ${region.nameZh} (${region.divisionCode}) is set up; ${admin.username} is its administrator (COUNTY_ADMIN).
  Start the service (npm start), then sign in:
    curl -s ${url} -H 'content-type: application/json' \\
      -d '{"query":"mutation($i: SignInInput!) { signIn(input: $i) { session { accessToken refreshToken } userErrors { code message } } }","variables":{"i":{"username":"${admin.username}","password":"<password>"}}}'
  and send the access token as  -H "authorization: Bearer <accessToken>".
`);
  });
}

try {
  const [verb, ...rest] = process.argv.slice(2);
  if (verb !== "init") throw new ConfigError(USAGE);
  await init(rest);
} catch (e) {
  const message =
    isDomainError(e) || e instanceof ConfigError || e instanceof DataDirInUse ? e.message : String(e);
  console.error(`admin: ${message}`);
  process.exit(isDomainError(e) && e.code === "DUPLICATE" ? 3 : 1);
}
