// The alert inbox's state: the live alerts the core lists (`loadLive`), less those the
// seller dismissed, grouped by order, with a clock that ticks each minute so relative
// times stay live. An alert the core no longer lists has resolved itself and leaves.
import type { InboxAlert } from "./bindings";

/** Relative times are minute-resolution: the clock ticks once a minute. */
export const TICK_MS = 60_000;

export type InboxGroup = { accountId: string; orderId: string; alerts: InboxAlert[] };

export class Inbox {
  /** The live alerts as last loaded, most urgent first. */
  live = $state.raw<InboxAlert[]>([]);
  /** Keys the seller dismissed (forgotten once the alert resolves). */
  dismissed = $state.raw<ReadonlySet<string>>(new Set());
  /** The current minute, for relative times. */
  now = $state(Date.now());
  /** Why the last load failed, or null. */
  error = $state<string | null>(null);

  readonly #loadLive: () => Promise<InboxAlert[]>;
  #timer: ReturnType<typeof setInterval> | undefined;
  #seq = 0;

  constructor(loadLive: () => Promise<InboxAlert[]>) {
    this.#loadLive = loadLive;
  }

  get visible(): InboxAlert[] {
    return this.live.filter((a) => !this.dismissed.has(a.key));
  }

  get count(): number {
    return this.visible.length;
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
      const live = await this.#loadLive();
      if (seq !== this.#seq) return;
      this.live = live;
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
