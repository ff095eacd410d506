// The order list's filter, search and sort. The default view (all active, no search,
// by urgency) is the workspace's live list; any other asks the core's `find_orders`,
// again whenever a change batch names orders, so past orders are one filter away.
import type { AppError, ChangeBatch, OrderQuery, OrderRow } from "./bindings";
import * as platform from "./platform";

export const DEFAULT_QUERY: OrderQuery = { status: "active", text: "", sort: "urgency" };

/** True when the query is the live list's own (no need to ask the core). */
export const isLive = (q: OrderQuery): boolean => q.status === "active" && q.text.trim() === "" && q.sort === "urgency";

export class OrderFinder {
  query = $state.raw<OrderQuery>(DEFAULT_QUERY);
  /** The found rows (empty while the live list is shown). */
  rows = $state.raw<OrderRow[]>([]);
  /** An answer for the current query arrived. */
  loaded = $state(false);
  error = $state.raw<AppError | null>(null);
  /** Numbers calls so an older, slower answer never replaces a newer one. */
  #seq = 0;

  get live(): boolean {
    return isLive(this.query);
  }

  async set(query: OrderQuery): Promise<void> {
    this.query = query;
    this.loaded = false;
    await this.refresh();
  }

  async refresh(): Promise<void> {
    const seq = ++this.#seq;
    if (this.live) {
      this.rows = [];
      this.error = null;
      return;
    }
    try {
      const rows = await platform.findOrders(this.query);
      if (seq !== this.#seq) return;
      this.rows = rows;
      this.loaded = true;
      this.error = null;
    } catch (e) {
      if (seq === this.#seq) this.error = platform.toAppError(e);
    }
  }

  /** A change batch naming orders may move them in or out of the found rows. */
  onBatch(batch: ChangeBatch): void {
    if (this.live) return;
    if (batch.changes.some((c) => c.what === "order" && c.orderId !== null)) void this.refresh();
  }
}
