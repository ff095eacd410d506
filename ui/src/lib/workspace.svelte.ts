// The window's state: app info, the active orders and the sync status, kept current by
// the core's events and a periodic refresh that keeps countdowns live.
import type { AppError, AppInfo, OrderRow, SyncStatus } from "./bindings";
import * as platform from "./platform";

/** Countdowns are minute-resolution; refreshing twice a minute keeps them live. */
export const REFRESH_MS = 30_000;

export class Workspace {
  info = $state<AppInfo | null>(null);
  orders = $state<OrderRow[]>([]);
  sync = $state<SyncStatus | null>(null);
  loaded = $state(false);
  error = $state<AppError | null>(null);

  #timer: ReturnType<typeof setInterval> | undefined;
  #unlisten: Array<() => void> = [];
  #stopped = false;

  async start(refreshMs: number = REFRESH_MS): Promise<void> {
    try {
      this.info = await platform.appInfo();
    } catch (e) {
      this.error = platform.toAppError(e);
      this.loaded = true;
      return;
    }
    if (this.info.startupError) {
      this.loaded = true;
      return;
    }
    const subscriptions = await Promise.all([
      platform.onSyncStatus((status) => (this.sync = status)),
      platform.onOrdersChanged(() => void this.refresh()),
    ]);
    if (this.#stopped) {
      subscriptions.forEach((unlisten) => unlisten());
      return;
    }
    this.#unlisten.push(...subscriptions);
    await Promise.all([this.refresh(), this.refreshSync()]);
    this.loaded = true;
    this.#timer = setInterval(() => void this.refresh(), refreshMs);
  }

  stop(): void {
    this.#stopped = true;
    clearInterval(this.#timer);
    this.#unlisten.forEach((unlisten) => unlisten());
    this.#unlisten = [];
  }

  async refresh(): Promise<void> {
    try {
      this.orders = await platform.listOrders();
      this.error = null;
    } catch (e) {
      this.error = platform.toAppError(e);
    }
  }

  async refreshSync(): Promise<void> {
    try {
      this.sync = await platform.syncStatus();
    } catch (e) {
      this.error = platform.toAppError(e);
    }
  }

  async syncNow(): Promise<void> {
    try {
      this.sync = await platform.syncNow();
    } catch (e) {
      this.error = platform.toAppError(e);
    }
  }
}
