// The window's state — app info, the active orders and the sync status — kept current by
// the core's events and by a periodic re-fetch that keeps the countdowns live.
import type { AppError, AppInfo, OrderRow, SyncStatus } from "./bindings";
import * as platform from "./platform";

/** Countdowns are minute-resolution: re-fetching twice a minute keeps them live. */
export const REFRESH_MS = 30_000;

export type Phase = "loading" | "startup_error" | "ready";

export type WorkspaceOptions = {
  /** How often the order list is re-fetched so countdowns stay live (tests shorten it). */
  refreshMs?: number;
};

export class Workspace {
  info = $state.raw<AppInfo | null>(null);
  /** In the core's order (most urgent first); replaced whole on every fetch. */
  orders = $state.raw<OrderRow[]>([]);
  sync = $state.raw<SyncStatus | null>(null);
  /** Why the window cannot show orders at all (from `app_info`, or `app_info` failing). */
  startupError = $state.raw<AppError | null>(null);
  /** The last command that failed while the window was usable; cleared by the next success. */
  error = $state.raw<AppError | null>(null);
  /** True once a `list_orders` answer arrived: before that an empty list means "not known". */
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
  /** Numbers `list_orders` calls so an older, slower answer never replaces a newer one. */
  #fetchSeq = 0;
  /** Counts `sync-status` events: a command's answer loses to an event that raced it. */
  #syncEvents = 0;
  /** Which kind of call set `error`, so only a success of that kind clears it. */
  #errorFrom: "orders" | "sync" | null = null;

  constructor(options: WorkspaceOptions = {}) {
    this.refreshMs = options.refreshMs ?? REFRESH_MS;
  }

  get phase(): Phase {
    if (this.startupError) return "startup_error";
    if (!this.info || !this.ordersLoaded) return "loading";
    return "ready";
  }

  /** Loads everything and subscribes to the core's events; `stop()` undoes it. */
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
    // Subscribe before the first fetch so no change falls between the two.
    const subscriptions = await Promise.all([
      platform.onSyncStatus((status) => this.#applySyncEvent(status)),
      platform.onOrdersChanged(() => {
        if (!this.#stopped) void this.refreshOrders();
      }),
    ]);
    if (this.#stopped) {
      subscriptions.forEach((unlisten) => unlisten());
      return;
    }
    this.#unlisten.push(...subscriptions);
    this.#timer = setInterval(() => void this.refreshOrders(), this.refreshMs);
    await Promise.all([this.refreshOrders(), this.refreshSync()]);
  }

  stop(): void {
    this.#stopped = true;
    clearInterval(this.#timer);
    this.#unlisten.forEach((unlisten) => unlisten());
    this.#unlisten = [];
  }

  /** Re-fetches the whole list: the core recomputes every countdown at call time. */
  async refreshOrders(): Promise<void> {
    if (this.#stopped) return;
    const seq = ++this.#fetchSeq;
    try {
      const rows = await platform.listOrders();
      if (this.#stopped || seq !== this.#fetchSeq) return;
      this.orders = rows;
      this.ordersLoaded = true;
      this.#clearError("orders");
    } catch (e) {
      if (this.#stopped || seq !== this.#fetchSeq) return;
      this.#setError("orders", e);
    }
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
