// The window's state — app info, the rows of the active list it shows, and the sync
// status — kept current by the core's change batches. The window never holds the whole
// list: it asks the core for the page around what is on screen (`order_page`), which
// also tells the list's size and its summary counts. Countdowns move on the window's own
// minute tick, which also asks again for the rows held (the order moves as time does).
import type { AppError, AppInfo, ChangeBatch, Countdown, ListSummary, OrderRow, SyncStatus } from "./bindings";
import { tick } from "svelte";
import { countdownAfter } from "./countdown";
import * as platform from "./platform";

/** Countdowns are minute-resolution: recomputed once a minute. */
export const REFRESH_MS = 60_000;

/** Rows asked for first: a screen shows ~13, so the first paint waits for no more. */
export const FIRST_ROWS = 20;
/** A list up to this long is held whole (and rendered whole); longer ones in pages. */
export const WHOLE_LIST = 300;
/** Rows asked for beyond each end of what the list shows, so scrolling finds them held. */
export const PAGE_MARGIN = 150;

export type Phase = "loading" | "startup_error" | "ready";

export type WorkspaceOptions = {
  /** How often the countdowns are recomputed (tests shorten it). */
  refreshMs?: number;
};

/** The rows `[first, last)` of the list (indexes into the whole list). */
type Range = { first: number; last: number };

export class Workspace {
  info = $state.raw<AppInfo | null>(null);
  /** The rows held: rows `offset .. offset + rows.length` of the list, most urgent first. */
  rows = $state.raw<OrderRow[]>([]);
  offset = $state(0);
  /** Rows in the whole list. */
  total = $state(0);
  /** The whole list's counts, as of the last page. */
  summary = $state.raw<ListSummary | null>(null);
  sync = $state.raw<SyncStatus | null>(null);
  /** The last change batch from the core, for views that follow one order. */
  lastBatch = $state.raw<ChangeBatch | null>(null);
  /** The minute tick (ms since the epoch) the countdowns are computed at. */
  now = $state(Date.now());
  /** Why the window cannot show orders at all (from `app_info`, or `app_info` failing). */
  startupError = $state.raw<AppError | null>(null);
  /** The last command that failed while the window was usable; cleared by the next success. */
  error = $state.raw<AppError | null>(null);
  /** True once a page arrived: before that an empty list means "not known". */
  ordersLoaded = $state(false);
  /**
   * A `sync_now` the user asked for is in flight. Only this disables the button: a
   * background sync reported as "syncing" must never leave the user without it.
   */
  syncRequested = $state(false);

  readonly refreshMs: number;

  #timer: ReturnType<typeof setInterval> | undefined;
  #unlisten: platform.Unlisten[] = [];
  #stopped = false;
  /** The rows the list shows (it says so as it scrolls). */
  #want: Range = { first: 0, last: FIRST_ROWS };
  /** The page in flight, if any: one at a time, the latest wish asked for next. */
  #inFlight: Promise<void> | null = null;
  /** The held rows predate a change (a batch or a tick came after they were asked for). */
  #stale = false;
  /** Counts `sync-status` events: a command's answer loses to an event that raced it. */
  #syncEvents = 0;
  /** Which kind of call set `error`, so only a success of that kind clears it. */
  #errorFrom: "orders" | "sync" | null = null;
  /** When the held rows were fetched: their countdowns count down from then. */
  #fetchedAt = Date.now();
  /** Waiting for rows to be held (keyboard moves to a row not yet fetched). */
  #waiters: { range: Range; resolve: () => void }[] = [];

  constructor(options: WorkspaceOptions = {}) {
    this.refreshMs = options.refreshMs ?? REFRESH_MS;
  }

  get phase(): Phase {
    if (this.startupError) return "startup_error";
    if (!this.info || !this.ordersLoaded) return "loading";
    return "ready";
  }

  /** The row at `index` of the whole list, when held. */
  rowAt(index: number): OrderRow | undefined {
    return index >= this.offset ? this.rows[index - this.offset] : undefined;
  }

  /** The row's countdown at the current tick, or null when nothing is owed. */
  countdownOf(row: OrderRow): Countdown | null {
    const given = (row.countdown as Countdown | null | undefined) ?? null;
    if (!given) return null;
    return countdownAfter(given, this.now - this.#fetchedAt);
  }

  /**
   * Loads everything and subscribes to the core's events; `stop()` undoes it. The first
   * page is asked for at once, beside `app_info` (the window bench marks when it was
   * asked, answered and painted).
   */
  async start(): Promise<void> {
    performance.mark("sellerdesk:first-rows-asked");
    const firstPage = this.#fetch(true);
    let info: AppInfo;
    try {
      info = await platform.appInfo();
      performance.mark("sellerdesk:info-answered");
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
    const subscriptions = await Promise.all([
      platform.onSyncStatus((status) => this.#applySyncEvent(status)),
      platform.onChanges((batch) => void this.applyBatch(batch)),
    ]);
    if (this.#stopped) {
      subscriptions.forEach((unlisten) => unlisten());
      return;
    }
    this.#unlisten.push(...subscriptions);
    this.#timer = setInterval(() => {
      this.now = Date.now();
      void this.refreshOrders();
    }, this.refreshMs);
    // A change may have fallen between the first page and the subscription.
    await Promise.all([firstPage.then(() => this.refreshOrders()), this.refreshSync()]);
  }

  stop(): void {
    this.#stopped = true;
    clearInterval(this.#timer);
    this.#unlisten.forEach((unlisten) => unlisten());
    this.#unlisten = [];
    this.#waiters.forEach((w) => w.resolve());
    this.#waiters = [];
  }

  /**
   * The list shows rows `[first, last)`: the rows around them are asked for unless held.
   * Resolves once they are held (or the ask failed, or the window is gone).
   */
  show(first: number, last: number): Promise<void> {
    this.#want = { first: Math.max(0, first), last: Math.max(first, last) };
    if (this.#holds(this.#want)) return Promise.resolve();
    const held = new Promise<void>((resolve) => this.#waiters.push({ range: this.#want, resolve }));
    void this.#fetch(false);
    return held;
  }

  /** Asks again for the rows held (after a change, on the tick, and to try again). */
  async refreshOrders(): Promise<void> {
    if (this.#stopped) return;
    this.#stale = true;
    await this.#fetch(false);
  }

  #holds(range: Range): boolean {
    const last = Math.min(range.last, this.total);
    return !this.#stale && range.first >= this.offset && last <= this.offset + this.rows.length;
  }

  /** The page to ask for: the whole of a short list, else what is shown and a margin. */
  #pageFor(range: Range, first: boolean): { offset: number; limit: number } {
    if (first) return { offset: 0, limit: FIRST_ROWS };
    if (this.total <= WHOLE_LIST) return { offset: 0, limit: WHOLE_LIST };
    const offset = Math.max(0, range.first - PAGE_MARGIN);
    return { offset, limit: range.last + PAGE_MARGIN - offset };
  }

  /**
   * Asks for the page the list wants, one at a time: while one is in flight the newer
   * wish waits, and is asked for when it answers unless that answer already holds it.
   */
  async #fetch(first: boolean): Promise<void> {
    while (this.#inFlight) {
      await this.#inFlight;
      if (this.#stopped || this.#holds(this.#want)) return;
    }
    if (this.#stopped) return;
    this.#inFlight = this.#ask(first);
    try {
      await this.#inFlight;
    } finally {
      this.#inFlight = null;
    }
  }

  async #ask(first: boolean): Promise<void> {
    const { offset, limit } = this.#pageFor(this.#want, first);
    this.#stale = false;
    try {
      const page = await platform.orderPage(offset, limit);
      if (first) performance.mark("sellerdesk:first-rows-answered");
      if (this.#stopped) return;
      if (first) globalThis.requestAnimationFrame?.(() => performance.mark("sellerdesk:first-rows-frame"));
      this.#fetchedAt = Date.now();
      this.now = this.#fetchedAt;
      this.offset = page.offset;
      this.rows = page.rows;
      this.total = page.total;
      this.summary = page.summary;
      this.ordersLoaded = true;
      this.#clearError("orders");
      // When the DOM holds them (answered → here is rendering them; here → the frame is
      // the browser's style, layout and paint).
      if (first) void tick().then(() => performance.mark("sellerdesk:first-rows-dom"));
      this.#waiters = this.#waiters.filter((w) => {
        if (!this.#holds(w.range)) return true;
        w.resolve();
        return false;
      });
    } catch (e) {
      if (this.#stopped) return;
      this.#setError("orders", e);
      this.#waiters.forEach((w) => w.resolve());
      this.#waiters = [];
    }
  }

  /** Applies a change batch: a change to any order asks again for the rows held. */
  async applyBatch(batch: ChangeBatch): Promise<void> {
    if (this.#stopped) return;
    this.lastBatch = batch;
    if (batch.changes.some((c) => c.what === "order" && c.orderId !== null)) await this.refreshOrders();
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
