// The alert inbox's state: the most urgent live alerts the core lists (`loadLive`) and
// how many are live in all, less those the seller dismissed, grouped by order, with a
// clock that ticks each minute so relative times stay live. An alert the core no longer
// lists has resolved itself and leaves.
import type { InboxAlert, InboxPage } from "./bindings";

/** Relative times are minute-resolution: the clock ticks once a minute. */
export const TICK_MS = 60_000;

/** Alerts listed at most (the most urgent); the bell counts them all. */
export const SHOWN = 100;

export type InboxGroup = { accountId: string; orderId: string; alerts: InboxAlert[] };

export class Inbox {
  /** The most urgent live alerts as last loaded, most urgent first. */
  live = $state.raw<InboxAlert[]>([]);
  /** Live alerts in all, listed or not. */
  total = $state(0);
  /** Keys the seller dismissed (forgotten once the alert resolves). */
  dismissed = $state.raw<ReadonlySet<string>>(new Set());
  /** The current minute, for relative times. */
  now = $state(Date.now());
  /** Why the last load failed, or null. */
  error = $state<string | null>(null);

  readonly #loadLive: (limit: number) => Promise<InboxPage>;
  #timer: ReturnType<typeof setInterval> | undefined;
  #seq = 0;

  constructor(loadLive: (limit: number) => Promise<InboxPage>) {
    this.#loadLive = loadLive;
  }

  get visible(): InboxAlert[] {
    return this.live.filter((a) => !this.dismissed.has(a.key));
  }

  /** Live alerts not dismissed, listed or not. */
  get count(): number {
    return Math.max(0, this.total - this.live.filter((a) => this.dismissed.has(a.key)).length);
  }

  /** Live alerts beyond those listed. */
  get more(): number {
    return Math.max(0, this.count - this.visible.length);
  }

  /** Alerts grouped by order, the groups in the order of their most urgent alert. */
  get groups(): InboxGroup[] {
    const groups: InboxGroup[] = [];
    for (const alert of this.visible) {
      const group = groups.find((g) => g.accountId === alert.accountId && g.orderId === alert.orderId);
      if (group) group.alerts.push(alert);
      else groups.push({ accountId: alert.accountId, orderId: alert.orderId, alerts: [alert] });
    }
    return groups;
  }

  /** Starts the minute tick (each tick also reloads, so deadlines that pass resolve). */
  start(): void {
    this.stop();
    this.#timer = setInterval(() => {
      this.now = Date.now();
      void this.refresh();
    }, TICK_MS);
  }

  stop(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
  }

  /** Reloads the live alerts; an older, slower answer never replaces a newer one. */
  async refresh(): Promise<void> {
    const seq = ++this.#seq;
    try {
      // Dismissed ones are asked for too, so the list still holds SHOWN others.
      const page = await this.#loadLive(SHOWN + this.dismissed.size);
      if (seq !== this.#seq) return;
      const live = page.alerts;
      this.live = live;
      this.total = page.total;
      this.now = Date.now();
      this.error = null;
      const keys = new Set(live.map((a) => a.key));
      if ([...this.dismissed].some((k) => !keys.has(k))) {
        this.dismissed = new Set([...this.dismissed].filter((k) => keys.has(k)));
      }
    } catch (e) {
      if (seq === this.#seq) this.error = (e as { message?: string })?.message ?? String(e);
    }
  }

  dismiss(key: string): void {
    this.dismissed = new Set([...this.dismissed, key]);
  }

  dismissAll(): void {
    this.dismissed = new Set([...this.dismissed, ...this.live.map((a) => a.key)]);
  }
}
