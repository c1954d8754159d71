import { describe, expect, it } from "vitest";
import { nextStatus, REQUISITION_ACTIONS, UNDER_WAY } from "../../src/domain/requisition/lifecycle.js";
import { REQUISITION_STATUSES } from "../../src/domain/requisition/requisition.js";

const canStep = (
  status: (typeof REQUISITION_STATUSES)[number],
  action: (typeof REQUISITION_ACTIONS)[number],
) => {
  try {
    nextStatus(status, action);
    return true;
  } catch {
    return false;
  }
};

describe("requisitions under way", () => {
  it("are those where someone other than the requester has a step left, as the lifecycle says", () => {
    // submitting a draft is the requester's own; cancelling and escalating ask nobody else to act
    const theirsAlone = new Set(["SUBMIT", "CANCEL", "ESCALATE"]);
    const waiting = REQUISITION_STATUSES.filter((s) =>
      REQUISITION_ACTIONS.some((a) => !theirsAlone.has(a) && canStep(s, a)),
    );
    expect(waiting).toEqual([...UNDER_WAY]);
  });
});
