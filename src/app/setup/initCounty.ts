import { cleanText } from "../../domain/shared/text.js";
import { hashPassword } from "../../auth/passwords.js";
import type { Executor } from "../../db/client.js";
import * as auditWrites from "../../db/repositories/auditEvents.writes.js";
import * as regionWrites from "../../db/repositories/regions.writes.js";
import type * as regions from "../../db/repositories/regions.js";
import * as userWrites from "../../db/repositories/users.writes.js";
import * as users from "../../db/repositories/users.js";
import { checkPassword, checkUsername } from "../../domain/account/account.js";
import { DomainError } from "../../domain/shared/errors.js";
import { type AppDeps, inTransaction } from "../deps.js";

export interface InitCountyInput {
  /** 6 digits, or 12 ending in six zeros: the county's statistical division code. */
  divisionCode: string;
  nameZh: string;
  nameEn?: string | undefined;
  population?: number | undefined;
  username: string;
  displayName?: string | undefined;
  password: string;
}

/** The 12 digits the regions table keeps for a county: its 6 significant digits and six zeros. */
export function countyDivisionCode(code: string): string {
  if (/^\d{6}$/.test(code)) return `${code}000000`;
  if (/^\d{6}0{6}$/.test(code)) return code;
  throw new DomainError(
    "INVALID_INPUT",
    "a county's division code has 6 digits (e.g. 130123), or 12 ending in 000000",
    ["county"],
  );
}

/**
 * The first step of a county on its own data: its region and its first administrator, with the password they
 * chose, in one transaction. A county that already exists is refused, and nothing is written.
 */
export async function initCounty(
  deps: AppDeps,
  input: InitCountyInput,
): Promise<{ county: regions.RegionRow; admin: users.UserRow }> {
  const checked = checkedInput(input);
  const { divisionCode, username, nameZh, population } = checked;
  const passwordHash = await hashPassword(input.password);
  return inTransaction(deps, async (tx) => {
    await assertUnclaimed(tx, divisionCode, username);
    const now = deps.clock();
    return foundCounty(
      tx,
      {
        divisionCode,
        nameZh,
        nameEn: cleanText(input.nameEn ?? "", "NAME", ["nameEn"], "the English name"),
        population,
      },
      {
        username,
        displayName:
          cleanText(input.displayName ?? "", "NAME", ["displayName"], "the display name") || username,
        organisation: nameZh,
        passwordHash,
      },
      now,
    );
  });
}

/** What can be judged before the database is asked; the password is hashed only once these hold. */
function checkedInput(input: InitCountyInput) {
  const divisionCode = countyDivisionCode(input.divisionCode);
  const username = input.username.trim().toLowerCase();
  checkUsername(username);
  checkPassword(input.password, ["password"]);
  const nameZh = cleanText(input.nameZh, "NAME", ["name"], "the name");
  if (!nameZh) throw new DomainError("INVALID_INPUT", "the county needs a name", ["name"]);
  const population = input.population ?? 0;
  if (!Number.isInteger(population) || population < 0)
    throw new DomainError("INVALID_INPUT", "population is a whole number, 0 or more", ["population"]);
  return { divisionCode, username, nameZh, population };
}

/** The division code is claimed first, so two set-ups of one county serialise on it and the second is refused. */
async function assertUnclaimed(tx: Executor, divisionCode: string, username: string): Promise<void> {
  const existing = await regionWrites.claimDivisionCode(tx, divisionCode);
  if (existing.some((r) => r.level === "COUNTY")) {
    throw new DomainError("DUPLICATE", `county ${divisionCode} is already set up`, ["county"]);
  }
  if (await users.findByUsername(tx, username)) {
    throw new DomainError("DUPLICATE", `the username ${username} is taken`, ["username"]);
  }
}

/**
 * A county's founding rows: its region, its first administrator with the COUNTY_ADMIN grant over it, and the audit
 * line that says so. `admin init` gives the administrator a password; the demo county's import gives none.
 */
export async function foundCounty(
  tx: Executor,
  county: { divisionCode: string; nameZh: string; nameEn: string; population: number },
  admin: Omit<Parameters<typeof userWrites.insert>[1], "homeCountyId">,
  now: Date,
): Promise<{ county: regions.RegionRow; admin: users.UserRow }> {
  const region = await regionWrites.insertCounty(tx, { level: "COUNTY", ...county });
  const row = await userWrites.insert(tx, { ...admin, homeCountyId: region.id });
  await userWrites.grant(tx, {
    countyId: region.id,
    userId: row.id,
    role: "COUNTY_ADMIN",
    regionId: region.id,
  });
  await auditWrites.append(tx, {
    countyId: region.id,
    actorId: row.id,
    occurredAt: now,
    action: "initCounty",
    targetType: "Region",
    targetId: region.id,
    before: null,
    after: {
      divisionCode: county.divisionCode,
      nameZh: county.nameZh,
      population: county.population,
      administrator: admin.username,
    },
  });
  return { county: region, admin: row };
}
