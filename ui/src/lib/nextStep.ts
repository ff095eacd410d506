// One clear next step per order: which of the actions the rules list is the order's
// primary action now, which others are allowed (the "More actions" menu), and which are
// blocked, grouped by the rule's reason (the "Why can't I…?" list). Driven by the typed
// `ActionKind` and the canonical status, never by the core's English labels.
import type { ActionKind, ActionView } from "./bindings";

/** Actions only the buyer takes: the rules know them, the seller's desk does not list them. */
export const BUYER_ONLY: ReadonlySet<ActionKind> = new Set<ActionKind>(["open_request:progress_update"]);

/**
 * The next step, most pressing first: answer a new order, then a buyer waiting on a
 * request (it expires), then the work owed (modified work after a revision request).
 */
const PRIORITY: readonly ActionKind[] = ["accept", "respond_to_request", "deliver_modified", "deliver", "reply_to_review"];

/** Actions that cost money or cannot be undone: they ask for confirmation first. */
export const DESTRUCTIVE: ReadonlySet<ActionKind> = new Set<ActionKind>(["decline", "cancel"]);

export type BlockedGroup = { reason: string; actions: ActionView[] };

export type ActionPlan = {
  /** The prominent button, or null when nothing is the seller's to do now. */
  primary: ActionView | null;
  /** The other answer to the same question, shown beside it (Decline beside Accept). */
  alternative: ActionView | null;
  /** Other allowed actions, in the rules' order. */
  more: ActionView[];
  /** Blocked actions with the rule's reason, one group per distinct reason. */
  blocked: BlockedGroup[];
};

/** The seller's actions on an order in `status` (canonical, snake_case), planned. */
export function planActions(actions: readonly ActionView[], status: string): ActionPlan {
  const mine = actions.filter((a) => !BUYER_ONLY.has(a.id));
  const allowed = mine.filter((a) => a.allowed);
  const primary =
    PRIORITY.map((id) => allowed.find((a) => a.id === id))
      .filter((a): a is ActionView => a !== undefined)
      // Modified work is the next step only once the buyer asked for it; on a delivered
      // order it stays an option in the menu.
      .find((a) => a.id !== "deliver_modified" || status === "revision_requested") ?? null;
  const alternative = primary?.id === "accept" ? (allowed.find((a) => a.id === "decline") ?? null) : null;
  const more = allowed.filter((a) => a !== primary && a !== alternative);
  const blocked: BlockedGroup[] = [];
  for (const action of mine.filter((a) => !a.allowed)) {
    const reason = action.reason ?? "not allowed now";
    const group = blocked.find((g) => g.reason === reason);
    if (group) group.actions.push(action);
    else blocked.push({ reason, actions: [action] });
  }
  return { primary, alternative, more, blocked };
}
