import {
  COUNTIES,
  GIVEN,
  PINYIN_FIRST,
  PINYIN_SECOND,
  PLACE_FIRST,
  PLACE_SECOND,
  SURNAMES,
} from "./names.js";
import { type Ctx, ids, pick, rnd, textArray, USER } from "./sql.js";

const pad = (expr: string, width: number) => `lpad((${expr})::text, ${width}, '0')`;
/** 12-digit division codes: a fictional province 41 and prefecture 90, then county, township, village. */
const countyCode = (c: string) => `'4190' || ${pad(c, 2)}`;

/** A place name from two syllables picked by `key`: the same key always names the same place. */
const placeZh = (key: string, salt: number) =>
  `${pick(PLACE_FIRST, key, salt)} || ${pick(PLACE_SECOND, key, salt + 1)}`;
const placeEn = (key: string, salt: number) =>
  `${pick(PINYIN_FIRST, key, salt)} || ${pick(PINYIN_SECOND, key, salt + 1)}`;

/** Regions (county, townships, villages), their closure, and mutual-aid links between townships. */
export async function generateRegions(ctx: Ctx): Promise<void> {
  const { counties: C, townships: T, villages: V } = ctx.plan;
  const names = COUNTIES.slice(0, C);
  await ctx.run(`
    insert into regions (county_id, id, parent_id, level, division_code, name_zh, name_en, population, created_at)
    select c, c, null, 'COUNTY', ${countyCode("c")} || '000000',
           (${textArray(names.map((n) => n[0]))})[c], (${textArray(names.map((n) => n[1]))})[c] || ' County',
           0, timestamptz '2024-01-01 09:00:00+08'
      from generate_series(1, ${C}) c`);
  await ctx.run(`
    insert into regions (county_id, id, parent_id, level, division_code, name_zh, name_en, population, created_at)
    select c, ${ids.township("c", "t")}, c, 'TOWNSHIP', ${countyCode("c")} || ${pad("t", 3)} || '000',
           ${placeZh(ids.township("c", "t"), 1)} || case when t % 3 = 0 then '乡' else '镇' end,
           ${placeEn(ids.township("c", "t"), 1)} || case when t % 3 = 0 then ' Township' else ' Town' end,
           0, timestamptz '2024-01-01 09:00:00+08'
      from generate_series(1, ${C}) c, generate_series(1, ${T}) t`);
  // village v belongs to township 1 + v mod T and is the (v div T)-th village there
  await ctx.run(`
    insert into regions (county_id, id, parent_id, level, division_code, name_zh, name_en, population, created_at)
    select c, ${ids.village("c", "v")}, ${ids.township("c", `1 + v % ${T}`)}, 'VILLAGE',
           ${countyCode("c")} || ${pad(`1 + v % ${T}`, 3)} || ${pad(`201 + v / ${T}`, 3)},
           ${placeZh(ids.village("c", "v"), 3)} || '村', ${placeEn(ids.village("c", "v"), 3)} || ' Village',
           500 + ${rnd(ids.village("c", "v"), 5, 4000)}, timestamptz '2024-01-01 09:00:00+08'
      from generate_series(1, ${C}) c, generate_series(0, ${V - 1}) v`);
  // a township seat has residents of its own besides its villages
  await ctx.run(`
    update regions t set population = s.pop + 5000 + ${rnd("t.id", 6, 30000)}
      from (select county_id, parent_id, sum(population) as pop from regions where level = 'VILLAGE'
             group by county_id, parent_id) s
     where t.level = 'TOWNSHIP' and s.county_id = t.county_id and s.parent_id = t.id`);
  await ctx.run(`
    update regions c set population = s.pop
      from (select county_id, sum(population) as pop from regions where level = 'TOWNSHIP' group by county_id) s
     where c.level = 'COUNTY' and c.id = s.county_id`);
  await ctx.run(`
    insert into region_paths (county_id, ancestor_id, descendant_id, depth)
    select county_id, id, id, 0 from regions
    union all
    select county_id, parent_id, id, 1 from regions where parent_id is not null
    union all
    select v.county_id, t.parent_id, v.id, 2
      from regions v join regions t on t.county_id = v.county_id and t.id = v.parent_id
     where v.level = 'VILLAGE'`);
  // townships on a grid four wide: each links to the next one and to the one below it, both ways
  await ctx.run(`
    with pairs as (
      select c, t as a, t + 1 as b from generate_series(1, ${C}) c, generate_series(1, ${T - 1}) t
      union all
      select c, t, t + 4 from generate_series(1, ${C}) c, generate_series(1, ${T - 4}) t
    ), timed as (
      select c, ${ids.township("c", "a")} as a, ${ids.township("c", "b")} as b,
             15 + ${rnd(`${ids.township("c", "a")} * 1000 + b`, 7, 50)} as minutes
        from pairs
    )
    insert into region_neighbours (county_id, region_id, neighbour_id, travel_minutes)
    select c, a, b, minutes from timed union all select c, b, a, minutes from timed`);
}

const personName = (key: string) => `${pick(SURNAMES, key, 8)} || ${pick(GIVEN, key, 9)}`;

/**
 * Per county: two officers (four-eyes rules need a second), an auditor, two county keepers; per township an
 * officer and two keepers. Usernames are what a benchmark signs tokens for: c1.officer, c1.t01.keeper, ….
 */
export async function generateUsers(ctx: Ctx): Promise<void> {
  const { counties: C, townships: T } = ctx.plan;
  const countyRows = [
    [USER.officer, "officer", "应急管理局", "COUNTY_OFFICER"],
    [USER.officer2, "officer2", "民政局", "COUNTY_OFFICER"],
    [USER.auditor, "auditor", "审计局", "AUDITOR"],
    [USER.keeper, "keeper", "应急管理局", "KEEPER"],
    [USER.keeper2, "keeper2", "应急管理局", "KEEPER"],
  ] as const;
  const townshipRows = [
    [USER.townshipOfficer, "officer", "TOWNSHIP_OFFICER"],
    [USER.townshipKeeper, "keeper", "KEEPER"],
    [USER.townshipKeeper2, "keeper2", "KEEPER"],
  ] as const;
  const countyValues = countyRows
    .map(([n, u, org, role]) => `(${n}, '${u}', '${org}', '${role}')`)
    .join(", ");
  const townshipValues = townshipRows.map(([n, u, role]) => `(${n}, '${u}', '${role}')`).join(", ");
  await ctx.run(`
    create temp table gen_user on commit drop as
    select ${ids.user("c", "k.n")} as id, c as county_id, c::bigint as region_id, k.role,
           'c' || c || '.' || k.username as username, r.name_zh || k.org as organisation
      from generate_series(1, ${C}) c
      cross join (values ${countyValues}) k(n, username, org, role)
      join regions r on r.county_id = c and r.id = c
    union all
    select ${ids.user("c", "k.n + t")}, c, ${ids.township("c", "t")}, k.role,
           'c' || c || '.t' || lpad(t::text, 2, '0') || '.' || k.username, r.name_zh || '应急办'
      from generate_series(1, ${C}) c
      cross join generate_series(1, ${T}) t
      cross join (values ${townshipValues}) k(n, username, role)
      join regions r on r.county_id = c and r.id = ${ids.township("c", "t")}`);
  await ctx.run(`
    insert into users (id, username, display_name, organisation, created_at)
    select id, username, ${personName("id")}, organisation, timestamptz '2024-01-01 09:00:00+08'
      from gen_user order by id`);
  await ctx.run(`
    insert into role_grants (county_id, user_id, role, region_id, granted_at)
    select county_id, id, role::role, region_id, timestamptz '2024-01-01 09:00:00+08' from gen_user`);
}
