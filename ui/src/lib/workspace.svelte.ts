// The window's state — app info, the active orders and the sync status — kept current by
// the core's change batches: a batch naming orders re-fetches only those rows. Countdowns
// move on the window's own minute tick (no call to the core).
import type { AppError, AppInfo, ChangeBatch, Countdown, OrderKey, OrderRow, SyncStatus } from "./bindings";
import { tick } from "svelte";
import { countdownAfter } from "./countdown";
import * as platform from "./platform";

/** A deadline this close can still be met, but only now: it sorts above late ones (the core's `IMMINENT`). */
const IMMINENT_S = 3600;

/** Countdowns are minute-resolution: recomputed once a minute. */
export const REFRESH_MS = 60_000;

/**
 * Rows asked for first, so the first screen paints before the whole list arrives (a
 * screen shows ~15; the rest follows with `list_orders`).
 */
export const FIRST_ROWS = 40;

export type Phase = "loading" | "startup_error" | "ready";

export type WorkspaceOptions = {
  /** How often the countdowns are recomputed (tests shorten it). */
  refreshMs?: number;
};

const keyOf = (row: { accountId: string; id: string }): string => `${row.accountId}/${row.id}`;

export class Workspace {
  info = $state.raw<AppInfo | null>(null);
  /** Most urgent first (problems, then owed deliveries by time left, then the rest). */
  orders = $state.raw<OrderRow[]>([]);
  sync = $state.raw<SyncStatus | null>(null);
  /** The last change batch from the core, for views that follow one order. */
  lastBatch = $state.raw<ChangeBatch | null>(null);
  /** The minute tick (ms since the epoch) the countdowns are computed at. */
  now = $state(Date.now());
  /** Why the window cannot show orders at all (from `app_info`, or `app_info` failing). */
  startupError = $state.raw<AppError | null>(null);
  /** The last command that failed while the window was usable; cleared by the next success. */
  error = $state.raw<AppError | null>(null);
  /** True once rows arrived (the first screen's or the whole list): before that an empty list means "not known". */
  ordersLoaded = $state(false);
  /** True once the whole list arrived: before that `orders` holds only the first screen's rows. */
  ordersComplete = $state(false);
  /**
   * A `sync_now` the user asked for is in flight. Only this disables the button: a
   * background sync reported as "syncing" must never leave the user without it.
   */
  syncRequested = $state(false);

  readonly refreshMs: number;

  #timer: ReturnType<typeof setInterval> | undefined;
  #unlisten: platform.Unlisten[] = [];
  #stopped = false;
  /** Numbers `list_orders` calls so an older, slower answer never replaces a newer one. */
  #fetchSeq = 0;
  /** Counts `sync-status` events: a command's answer loses to an event that raced it. */
  #syncEvents = 0;
  /** Which kind of call set `error`, so only a success of that kind clears it. */
  #errorFrom: "orders" | "sync" | null = null;
  /** When each row was fetched: its countdown counts down from then. */
  #fetchedAt = new Map<string, number>();

  constructor(options: WorkspaceOptions = {}) {
    this.refreshMs = options.refreshMs ?? REFRESH_MS;
  }

  get phase(): Phase {
    if (this.startupError) return "startup_error";
    if (!this.info || !this.ordersLoaded) return "loading";
    return "ready";
  }

  /** The row's countdown at the current tick, or null when nothing is owed. */
  countdownOf(row: OrderRow): Countdown | null {
    const given = (row.countdown as Countdown | null | undefined) ?? null;
    if (!given) return null;
    const fetched = this.#fetchedAt.get(keyOf(row)) ?? this.now;
    return countdownAfter(given, this.now - fetched);
  }

  /**
   * Loads everything and subscribes to the core's events; `stop()` undoes it. The first
   * screen's rows are asked for right after `app_info` and shown before the whole list
   * is fetched (the window bench marks when they were asked, answered and painted).
   */
  async start(): Promise<void> {
    let info: AppInfo;
    try {
      info = await platform.appInfo();
    } catch (e) {
      this.startupError = platform.toAppError(e);
      return;
    }
    if (this.#stopped) return;
    this.info = info;
    if (info.startupError) {
      this.startupError = info.startupError;
      return;
    }
    const firstRows = this.#showFirstRows();
    // Subscribe before the whole list is fetched so no change falls between the two.
    const subscriptions = await Promise.all([
      platform.onSyncStatus((status) => this.#applySyncEvent(status)),
      platform.onChanges((batch) => void this.applyBatch(batch)),
    ]);
    if (this.#stopped) {
      subscriptions.forEach((unlisten) => unlisten());
      return;
    }
    this.#unlisten.push(...subscriptions);
    this.#timer = setInterval(() => (this.now = Date.now()), this.refreshMs);
    await Promise.all([firstRows.then(() => this.refreshOrders()), this.refreshSync()]);
  }

  /**
   * Asks for the first screen's rows and shows them unless the whole list is already
   * on its way. A failure is left to the whole list's fetch, which reports it.
   */
  async #showFirstRows(): Promise<void> {
    performance.mark("sellerdesk:first-rows-asked");
    let rows: OrderRow[];
    try {
      rows = await platform.firstOrderRows(FIRST_ROWS);
    } catch {
      return;
    }
    performance.mark("sellerdesk:first-rows-answered");
    if (this.#stopped || this.#fetchSeq !== 0) return;
    globalThis.requestAnimationFrame?.(() => performance.mark("sellerdesk:first-rows-frame"));
    this.#show(rows);
    // When the DOM holds them (answered → here is rendering them; here → the frame is
    // the browser's style, layout and paint).
    void tick().then(() => performance.mark("sellerdesk:first-rows-dom"));
  }

  stop(): void {
    this.#stopped = true;
    clearInterval(this.#timer);
    this.#unlisten.forEach((unlisten) => unlisten());
    this.#unlisten = [];
  }

  /** Re-fetches the whole list (at start, and when the seller asks to try again). */
  async refreshOrders(): Promise<void> {
    if (this.#stopped) return;
    const seq = ++this.#fetchSeq;
    // The first fetch is marked for the window bench: asked, answered, and the first
    // frame after the whole list was set.
    const first = seq === 1;
    if (first) performance.mark("sellerdesk:list-orders-asked");
    try {
      const rows = await platform.listOrders();
      if (first) performance.mark("sellerdesk:list-orders-answered");
      if (this.#stopped || seq !== this.#fetchSeq) return;
      if (first) globalThis.requestAnimationFrame?.(() => performance.mark("sellerdesk:list-orders-frame"));
      this.#show(rows);
      this.ordersComplete = true;
      this.#clearError("orders");
    } catch (e) {
      if (this.#stopped || seq !== this.#fetchSeq) return;
      this.#setError("orders", e);
    }
  }

  /** Shows `rows` (countdowns counting down from now). */
  #show(rows: OrderRow[]): void {
    const at = Date.now();
    this.now = at;
    this.#fetchedAt = new Map(rows.map((r) => [keyOf(r), at]));
    this.orders = rows;
    this.ordersLoaded = true;
  }

  /** Applies a change batch: only the rows of the orders it names are fetched again. */
  async applyBatch(batch: ChangeBatch): Promise<void> {
    if (this.#stopped) return;
    this.lastBatch = batch;
    const keys = new Map<string, OrderKey>();
    for (const c of batch.changes) {
      if (c.what === "order" && c.orderId !== null) keys.set(`${c.accountId}/${c.orderId}`, { accountId: c.accountId, orderId: c.orderId });
    }
    if (keys.size === 0) return;
    const seq = this.#fetchSeq;
    try {
      const rows = await platform.orderRowsOf([...keys.values()]);
      // A whole-list fetch started meanwhile is newer than this answer.
      if (this.#stopped || seq !== this.#fetchSeq) return;
      const at = Date.now();
      const fresh = new Map(rows.map((r) => [keyOf(r), r]));
      const kept = this.orders.filter((r) => !keys.has(keyOf(r)));
      for (const key of fresh.keys()) this.#fetchedAt.set(key, at);
      for (const key of keys.keys()) if (!fresh.has(key)) this.#fetchedAt.delete(key);
      this.now = at;
      this.orders = this.#sorted([...kept, ...fresh.values()]);
      this.#clearError("orders");
    } catch (e) {
      if (!this.#stopped) this.#setError("orders", e);
    }
  }

  /**
   * The core's order (`urgency_rank` in `crates/core/src/view.rs`): problems first, then
   * deadlines within the hour (soonest first), late ones (latest first), the other
   * deadlines by time left, then rows with nothing due by due date.
   */
  #sorted(rows: OrderRow[]): OrderRow[] {
    const now = Math.floor(this.now / 1000);
    const key = (r: OrderRow): [number, number] => {
      if (r.status === "problem") return [0, 0];
      const c = (r.countdown as Countdown | null | undefined) ?? null;
      if (!c) return [4, Math.floor(r.dueAt / 1000)];
      const at = Math.floor((this.#fetchedAt.get(keyOf(r)) ?? this.now) / 1000) + c.seconds;
      const left = at - now;
      if (left > 0 && left <= IMMINENT_S) return [1, left];
      return left <= 0 ? [2, left] : [3, left];
    };
    const keyed = rows.map((r) => ({ r, k: key(r) }));
    keyed.sort((a, b) => a.k[0] - b.k[0] || a.k[1] - b.k[1] || (a.r.id < b.r.id ? -1 : a.r.id > b.r.id ? 1 : 0));
    return keyed.map((x) => x.r);
  }

  async refreshSync(): Promise<void> {
    const eventsBefore = this.#syncEvents;
    try {
      const status = await platform.syncStatus();
      if (!this.#stopped && this.#syncEvents === eventsBefore) this.sync = status;
    } catch (e) {
      if (!this.#stopped) this.#setError("sync", e);
    }
  }

  /** Asks the core to sync now; the status it answers with shows until the next event. */
  async syncNow(): Promise<void> {
    if (this.syncRequested) return;
    this.syncRequested = true;
    const eventsBefore = this.#syncEvents;
    try {
      const status = await platform.syncNow();
      if (this.#stopped) return;
      if (this.#syncEvents === eventsBefore) this.sync = status;
      this.#clearError("sync");
    } catch (e) {
      if (!this.#stopped) this.#setError("sync", e);
    } finally {
      this.syncRequested = false;
    }
  }

  dismissError(): void {
    this.error = null;
    this.#errorFrom = null;
  }

  #setError(from: "orders" | "sync", e: unknown): void {
    this.error = platform.toAppError(e);
    this.#errorFrom = from;
  }

  #clearError(from: "orders" | "sync"): void {
    if (this.#errorFrom === from) this.dismissError();
  }

  #applySyncEvent(status: SyncStatus): void {
    if (this.#stopped) return;
    this.#syncEvents++;
    this.sync = status;
  }
}
