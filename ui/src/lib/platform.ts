// The one module that talks to Tauri: typed commands and events of the Rust core. Every
// other module goes through these functions, so tests swap the backend with
// `@tauri-apps/api/mocks` and nothing else needs to know a desktop shell exists.
import { invoke } from "@tauri-apps/api/core";
import { listen } from "@tauri-apps/api/event";
import { ipcCommands, type EventPayloads } from "./bindings";
import type { Alert, AppError, ChangeBatch, EarningsView, ErrorCode, OrderKey, SyncStatus, UploadProgress } from "./bindings";

/** Stops delivering an event; safe to call more than once and after the shell is gone. */
export type Unlisten = () => void;

const ERROR_CODES: ReadonlySet<string> = new Set<ErrorCode>([
  "offline",
  "auth_expired",
  "conflict",
  "not_allowed",
  "too_large",
  "newer_schema",
  "storage",
  "invalid_input",
  "internal",
]);

function isErrorCode(code: unknown): code is ErrorCode {
  return typeof code === "string" && ERROR_CODES.has(code);
}

function describe(e: unknown): string {
  if (e instanceof Error) return e.message;
  if (typeof e === "string") return e;
  if (typeof e === "object" && e !== null && typeof (e as { message?: unknown }).message === "string") {
    return (e as { message: string }).message;
  }
  if (e === undefined || e === null) return "Unknown error";
  try {
    return JSON.stringify(e) ?? String(e);
  } catch {
    return String(e);
  }
}

/**
 * Whatever a command rejected with, as an `AppError` the UI can act on. The core rejects
 * with `{code, message}`; anything else (a string, an `Error`, an unknown code) is a bug
 * or a shell failure and becomes `internal`, keeping its text.
 */
export function toAppError(e: unknown): AppError {
  if (typeof e === "object" && e !== null) {
    const { code, message } = e as { code?: unknown; message?: unknown };
    if (isErrorCode(code) && typeof message === "string") return { code, message };
  }
  return { code: "internal", message: describe(e) };
}

async function call<T>(command: string, args?: Record<string, unknown>): Promise<T> {
  try {
    return await invoke<T>(command, args);
  } catch (e) {
    throw toAppError(e);
  }
}

/** Listens to one of the shell's events (their payloads are generated with the commands). */
async function subscribe<K extends keyof EventPayloads>(event: K, handler: (payload: EventPayloads[K]) => void): Promise<Unlisten> {
  const unlisten = await listen<EventPayloads[K]>(event, (e) => handler(e.payload));
  let done = false;
  return () => {
    if (done) return;
    done = true;
    // The shell may already be tearing down; a failed unlisten has nothing left to stop.
    try {
      Promise.resolve(unlisten()).catch(() => undefined);
    } catch {
      // as above
    }
  };
}

// Every command, typed from the Rust signatures (bindings/ipc.ts is generated and checked
// for drift by src-tauri/tests/ipc_bindings.rs); errors come back as `AppError`s.
const ipc = ipcCommands(call);

export const {
  appInfo,
  orderPage,
  findOrders,
  syncStatus,
  syncNow,
  orderDetail,
  orderAction,
  dismissAction,
  saveInvoice,
  saveInvoiceAs,
  exportMonthInvoices,
  exportCsv,
  exportFolder,
  chooseExportFolder,
  showInFolder,
  loadDraft,
  saveDraft,
  discardDraft,
  pickDeliveryFiles,
  attachPaths,
  submitDelivery,
  listUploads,
  pauseUpload,
  resumeUpload,
  cancelUpload,
  listAccounts,
  addAccount,
  marketplaces,
  testConnection,
  removeAccount,
  alertSettings,
  saveAlertSettings,
  businessProfile,
  saveBusinessProfile,
  alertsInbox,
  needsResponseCount,
  startAtLogin,
  setStartAtLogin,
} = ipc;
export type { CsvKind } from "./bindings";
/** Forecast earnings by week and month, of one account or all (null). */
export const earnings = (accountId: string | null = null): Promise<EarningsView> => ipc.earnings(accountId);

/** Upload progress (at most 5 a second per file, and on every state change). */
export const onUploadProgress = (handler: (progress: UploadProgress) => void): Promise<Unlisten> =>
  subscribe("upload-progress", handler);
/** The badge count changed. */
export const onNeedsResponse = (handler: (count: number) => void): Promise<Unlisten> => subscribe("needs-response", handler);
/** Files dropped on the window (Tauri's own drag-and-drop event, with their paths). */
export const onFilesDropped = async (handler: (paths: string[]) => void): Promise<Unlisten> => {
  const unlisten = await listen<{ paths?: string[] }>("tauri://drag-drop", (e) => handler(e.payload.paths ?? []));
  return () => {
    try {
      Promise.resolve(unlisten()).catch(() => undefined);
    } catch {
      // the shell is gone
    }
  };
};
export const onSyncStatus = (handler: (status: SyncStatus) => void): Promise<Unlisten> => subscribe("sync-status", handler);
/** What changed in the core (one batch per operation or sync round). */
export const onChanges = (handler: (batch: ChangeBatch) => void): Promise<Unlisten> => subscribe("changes", handler);
/** Alerts the core raised (also sent as native notifications when a service runs). */
export const onAlerts = (handler: (alerts: Alert[]) => void): Promise<Unlisten> => subscribe("alerts", handler);
/** A notification was clicked: focus this order. */
export const onOpenOrder = (handler: (target: OrderKey) => void): Promise<Unlisten> => subscribe("open-order", handler);
