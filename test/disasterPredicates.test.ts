// One rule, one answer: disaster day's rules in the domain (src/domain/emergency, src/domain/agreement/callUp.ts)
// against the SQL fragments the statements use (emergencies.ts, emergencyPaperwork.ts, callUpPredicates.ts), over
// every boundary: an instant before, at and after an end or a due time; a day before, at and after the allowance.
import { type SQL, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { calledOf, callUpStatus, isLate, remainingOf } from "../src/domain/agreement/callUp.js";
import { isActive, isPaperworkOverdue, type PaperworkStatus } from "../src/domain/emergency/emergency.js";
import { addDays, type CalendarDate, dateInZone, instantOn } from "../src/domain/shared/calendar.js";
import { formatQuantity, fromDb } from "../src/domain/shared/quantity.js";
import type { Database } from "../src/db/client.js";
import { emergencyActiveAt } from "../src/db/repositories/emergencies.js";
import { paperworkOverdue } from "../src/db/repositories/emergencyPaperwork.js";
import {
  callUpLate,
  callUpLineCalled,
  callUpOpen,
  remainingSql,
} from "../src/db/repositories/callUpPredicates.js";
import { openTestDatabase } from "./support/service.js";
import { query } from "./support/sql.js";

let database: Database;
let drop: () => Promise<void>;
beforeAll(async () => ({ database, drop } = await openTestDatabase()));
afterAll(() => drop());

/** Each row of `rows` as a VALUES row of typed parameters. */
const values = (rows: unknown[][], types: string[]): SQL =>
  sql.join(
    rows.map(
      (r) =>
        sql`(${sql.join(
          r.map((v, i) => sql`${v}::${sql.raw(types[i]!)}`),
          sql`, `,
        )})`,
    ),
    sql`, `,
  );

const at = new Date("2026-11-24T02:00:00Z");
const ms = (d: number) => new Date(at.getTime() + d);
// an instant a millisecond, a second and a day either side, and the instant itself
const INSTANTS = [null, ms(-86_400_000), ms(-1000), ms(-1), at, ms(1), ms(1000), ms(86_400_000)];

describe("disaster day's rules give one answer, in the domain and in SQL", () => {
  it("an emergency is active at an instant (isActive, emergencyActiveAt)", async () => {
    const cases = INSTANTS.flatMap((until) => INSTANTS.map((endedAt) => ({ until, endedAt })));
    const rows = await query<{ active: boolean }>(
      database,
      sql`select ${emergencyActiveAt(at)} as active
            from (values ${values(
              cases.map((c, i) => [i, c.until?.toISOString() ?? null, c.endedAt?.toISOString() ?? null]),
              ["int", "timestamptz", "timestamptz"],
            )}) as emergencies(n, until, ended_at)
           order by n`,
    );
    expect(rows.map((r) => r.active)).toEqual(cases.map((c) => isActive(c, at)));
    expect(new Set(rows.map((r) => r.active))).toEqual(new Set([true, false]));
  });

  it("paperwork is overdue on a day (isPaperworkOverdue, paperworkOverdue)", async () => {
    const today = "2026-11-24" as CalendarDate;
    const days = 7;
    const statuses: PaperworkStatus[] = ["OPEN", "APPROVED", "CONTESTED"];
    // opened at the first and the last instant of each day around the allowance, in the county's calendar
    const openings = [-9, -8, -7, -6, 0].flatMap((d) => {
      const day = addDays(today, d);
      return [instantOn(day), new Date(instantOn(addDays(day, 1)).getTime() - 1)];
    });
    const cases = statuses.flatMap((status) => openings.map((openedAt) => ({ status, openedAt })));
    const rows = await query<{ overdue: boolean }>(
      database,
      sql`select ${paperworkOverdue(today, days)} as overdue
            from (values ${values(
              cases.map((c, i) => [i, c.status, c.openedAt.toISOString()]),
              ["int", "paperwork_status", "timestamptz"],
            )}) as emergency_paperwork(n, status, opened_at)
           order by n`,
    );
    expect(rows.map((r) => r.overdue)).toEqual(
      cases.map((c) =>
        isPaperworkOverdue({ status: c.status, openedOn: dateInZone(c.openedAt) }, today, days),
      ),
    );
    expect(new Set(rows.map((r) => r.overdue))).toEqual(new Set([true, false]));
  });

  it("a call-up is open and late, a line called and an agreement's remainder (callUpStatus, isLate, calledOf, remainingOf)", async () => {
    const stamps = [null, ms(-1000)];
    const cases = INSTANTS.filter((d) => d !== null).flatMap((dueAt) =>
      stamps.flatMap((closedAt) => stamps.map((cancelledAt) => ({ dueAt: dueAt!, closedAt, cancelledAt }))),
    );
    const lines = [
      { quantity: "10", delivered: "0", agreed: "25" },
      { quantity: "10", delivered: "4.5", agreed: "10" },
      { quantity: "10", delivered: "10", agreed: "8" },
    ];
    const all = cases.flatMap((c) => lines.map((l) => ({ ...c, ...l })));
    const rows = await query<{ open: boolean; late: boolean; called: string; remaining: string }>(
      database,
      sql`select ${callUpOpen} as open, ${callUpLate(at)} as late, (${callUpLineCalled})::text as called,
                 (${remainingSql(sql`x.agreed`, callUpLineCalled)})::text as remaining
            from (values ${values(
              all.map((c, i) => [
                i,
                c.dueAt.toISOString(),
                c.closedAt?.toISOString() ?? null,
                c.cancelledAt?.toISOString() ?? null,
                c.quantity,
                c.delivered,
                c.agreed,
              ]),
              ["int", "timestamptz", "timestamptz", "timestamptz", "numeric", "numeric", "numeric"],
            )}) as v(n, due_at, closed_at, cancelled_at, quantity, delivered_quantity, agreed)
            cross join lateral (select v.due_at, v.closed_at, v.cancelled_at) as cu
            cross join lateral (select v.quantity, v.delivered_quantity) as cul
            cross join lateral (select v.agreed) as x
           order by n`,
    );
    const expected = all.map((c) => {
      const facts = { dueAt: c.dueAt, closedAt: c.closedAt, cancelledAt: c.cancelledAt };
      const line = { itemId: 1, quantity: fromDb(c.quantity), delivered: fromDb(c.delivered) };
      const called = calledOf(line, c.cancelledAt !== null);
      return {
        open: callUpStatus(facts) === "OPEN",
        late: isLate(facts, at),
        called: formatQuantity(called),
        remaining: formatQuantity(remainingOf(fromDb(c.agreed), called)),
      };
    });
    expect(
      rows.map((r) => ({
        open: r.open,
        late: r.late,
        called: formatQuantity(fromDb(r.called)),
        remaining: formatQuantity(fromDb(r.remaining)),
      })),
    ).toEqual(expected);
    expect(new Set(rows.map((r) => r.late))).toEqual(new Set([true, false]));
  });
});
