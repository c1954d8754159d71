import { type SQL, sql } from "drizzle-orm";

/**
 * The call-up rules of src/domain/agreement/callUp.ts as SQL, the one copy every statement uses: the call-up
 * itself (what an agreement has left) and coverage (what is still on call). Hand-written statements name the
 * tables `cu` (call_ups) and `cul` (call_up_lines).
 */

/** What a line takes out of its agreement (`calledOf`): all of it, or only what arrived once cancelled. */
export const callUpLineCalled = sql`(case when cu.cancelled_at is null then cul.quantity else cul.delivered_quantity end)`;

/**
 * Called per agreement and item, over every call-up ever made of it: a relation of (county_id, agreement_id,
 * item_id, called) to join agreement lines to.
 */
export const calledByAgreementItem = (countyId: number): SQL => sql`
  select cu.county_id, cu.agreement_id, cul.item_id, sum(${callUpLineCalled}) as called
    from call_ups cu
    join call_up_lines cul on cul.county_id = cu.county_id and cul.call_up_id = cu.id
   where cu.county_id = ${countyId}::bigint
   group by cu.county_id, cu.agreement_id, cul.item_id`;

/** What an agreement line has left (`remainingOf`): the agreed quantity less what was called, never below zero. */
export const remainingSql = (agreed: SQL, called: SQL): SQL =>
  sql`greatest(${agreed} - coalesce(${called}, 0), 0)`;

/** A call-up open at an instant: not delivered in full, not cancelled. */
export const callUpOpen = sql`(cu.closed_at is null and cu.cancelled_at is null)`;

/** Late at `at` (`isLate`): open and past its due instant. */
export const callUpLate = (at: Date): SQL =>
  sql`(${callUpOpen} and cu.due_at < ${at.toISOString()}::timestamptz)`;
