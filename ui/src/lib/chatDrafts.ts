// Unsent chat text per order, kept while the window lives, so switching to another order
// and back does not lose what the seller was writing.

const drafts = new Map<string, string>();

const keyOf = (accountId: string, orderId: string) => `${accountId}/${orderId}`;

/** The unsent text of an order's chat ("" when none). */
export function chatDraft(accountId: string, orderId: string): string {
  return drafts.get(keyOf(accountId, orderId)) ?? "";
}

/** Keeps (or, when blank, forgets) an order's unsent text. */
export function keepChatDraft(accountId: string, orderId: string, text: string): void {
  if (text.trim() === "") drafts.delete(keyOf(accountId, orderId));
  else drafts.set(keyOf(accountId, orderId), text);
}

/** Forgets every draft (tests). */
export function clearChatDrafts(): void {
  drafts.clear();
}
