// The next step per order state: which action is the prominent one, which go to the
// menu, and how blocked ones are grouped by reason — from typed kinds, not labels.
import { describe, expect, it } from "vitest";
import type { ActionKind, ActionView } from "./bindings";
import { planActions } from "./nextStep";

const ok = (id: ActionKind): ActionView => ({ id, label: `label of ${id}`, allowed: true, reason: null });
const no = (id: ActionKind, reason: string): ActionView => ({ id, label: `label of ${id}`, allowed: false, reason });

describe("planActions", () => {
  const cases: { state: string; status: string; actions: ActionView[]; primary: ActionKind | null; alternative?: ActionKind; more: ActionKind[] }[] = [
    {
      state: "a new order: accept, with decline beside it",
      status: "awaiting_acceptance",
      actions: [ok("accept"), ok("decline"), ok("open_request:cancel")],
      primary: "accept",
      alternative: "decline",
      more: ["open_request:cancel"],
    },
    {
      state: "in progress: deliver",
      status: "in_progress",
      actions: [ok("deliver"), ok("open_request:change_order_time"), ok("open_request:additional_work")],
      primary: "deliver",
      more: ["open_request:change_order_time", "open_request:additional_work"],
    },
    {
      state: "a buyer's request waiting beats delivering: it expires",
      status: "in_progress",
      actions: [ok("deliver"), ok("respond_to_request")],
      primary: "respond_to_request",
      more: ["deliver"],
    },
    {
      state: "revision requested: deliver modified work",
      status: "revision_requested",
      actions: [ok("deliver_modified"), ok("open_request:cancel")],
      primary: "deliver_modified",
      more: ["open_request:cancel"],
    },
    {
      state: "delivered: modified work is an option, not the next step",
      status: "delivered",
      actions: [ok("deliver_modified")],
      primary: null,
      more: ["deliver_modified"],
    },
    {
      state: "completed with a review to answer",
      status: "completed",
      actions: [ok("reply_to_review")],
      primary: "reply_to_review",
      more: [],
    },
    {
      state: "a late order on a marketplace letting the seller cancel: cancel is in the menu, never primary",
      status: "in_progress",
      actions: [ok("deliver"), ok("cancel")],
      primary: "deliver",
      more: ["cancel"],
    },
  ];
  for (const c of cases) {
    it(c.state, () => {
      const plan = planActions(c.actions, c.status);
      expect(plan.primary?.id ?? null).toBe(c.primary);
      expect(plan.alternative?.id).toBe(c.alternative);
      expect(plan.more.map((a) => a.id)).toEqual(c.more);
    });
  }

  it("never lists buyer-only actions and groups blocked ones by reason", () => {
    const plan = planActions(
      [
        no("accept", "cannot accept an order that is in progress"),
        ok("deliver"),
        no("open_request:progress_update", "only the buyer can open a progress update request"),
        no("open_request:cancel", "request R1 is still waiting"),
        no("open_request:additional_work", "request R1 is still waiting"),
      ],
      "in_progress",
    );
    const all = [plan.primary, ...plan.more, ...plan.blocked.flatMap((g) => g.actions)].map((a) => a?.id);
    expect(all, "a buyer-only action is not the seller's").not.toContain("open_request:progress_update");
    expect(plan.blocked.map((g) => [g.reason, g.actions.map((a) => a.id)])).toEqual([
      ["cannot accept an order that is in progress", ["accept"]],
      ["request R1 is still waiting", ["open_request:cancel", "open_request:additional_work"]],
    ]);
  });
});
