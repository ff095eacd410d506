// The one module that talks to Tauri. Components and stores call these typed functions;
// tests swap the backend with @tauri-apps/api/mocks.
import { invoke } from "@tauri-apps/api/core";
import { listen, type UnlistenFn } from "@tauri-apps/api/event";
import type { AppError, AppInfo, ErrorCode, OrderRow, OrdersChanged, SyncStatus } from "./bindings";

const CODES: readonly ErrorCode[] = [
  "offline",
  "auth_expired",
  "conflict",
  "not_allowed",
  "too_large",
  "newer_schema",
  "storage",
  "invalid_input",
  "internal",
];

/** Whatever a command rejected with, as an AppError the UI can act on. */
export function toAppError(e: unknown): AppError {
  if (typeof e === "object" && e !== null && "code" in e && "message" in e) {
    const { code, message } = e as { code: unknown; message: unknown };
    if (typeof message === "string" && CODES.includes(code as ErrorCode)) {
      return { code: code as ErrorCode, message };
    }
  }
  const message = e instanceof Error ? e.message : typeof e === "string" ? e : JSON.stringify(e);
  return { code: "internal", message };
}

async function call<T>(command: string, args?: Record<string, unknown>): Promise<T> {
  try {
    return await invoke<T>(command, args);
  } catch (e) {
    throw toAppError(e);
  }
}

export const appInfo = () => call<AppInfo>("app_info");
export const listOrders = () => call<OrderRow[]>("list_orders");
export const syncStatus = () => call<SyncStatus>("sync_status");
export const syncNow = () => call<SyncStatus>("sync_now");

export function onSyncStatus(handler: (status: SyncStatus) => void): Promise<UnlistenFn> {
  return listen<SyncStatus>("sync-status", (event) => handler(event.payload));
}

export function onOrdersChanged(handler: (change: OrdersChanged) => void): Promise<UnlistenFn> {
  return listen<OrdersChanged>("orders-changed", (event) => handler(event.payload));
}
