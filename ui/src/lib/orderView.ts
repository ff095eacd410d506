// How an order row reads at a glance: a tone per kind of next step (so rows are told apart
// by status while keeping the core's urgency order).
import type { Countdown, CountdownState, OrderRow } from "./bindings";

/** new: accept it; waiting: on the buyer; working: on you; done: delivered; attention/problem: act. */
export type StatusTone = "new" | "waiting" | "working" | "done" | "attention" | "problem" | "other";

const TONES: Record<string, StatusTone> = {
  awaiting_acceptance: "new",
  pending_requirements: "waiting",
  accepted: "working",
  in_progress: "working",
  delivered: "done",
  revision_requested: "attention",
  disputed: "problem",
};

export function statusTone(status: string): StatusTone {
  return TONES[status] ?? "other";
}

/** Late and very late count as late; a row without a countdown (nothing owed) never does. */
export function isLate(state: CountdownState | undefined): boolean {
  return state === "late" || state === "very_late";
}

/**
 * The row's countdown, or null when nothing is owed. The contract always sends one; a
 * core that leaves it out for delivered or disputed orders must not break the window.
 */
export function countdownOf(order: OrderRow): Countdown | null {
  return (order.countdown as Countdown | null | undefined) ?? null;
}
