// The one module that talks to Tauri: typed commands and events of the Rust core. Every
// other module goes through these functions, so tests swap the backend with
// `@tauri-apps/api/mocks` and nothing else needs to know a desktop shell exists.
import { invoke } from "@tauri-apps/api/core";
import { listen } from "@tauri-apps/api/event";
import type {
  AccountView,
  SellerAction,
  Alert,
  AlertSettings,
  AppError,
  AppInfo,
  BatchExport,
  DraftContent,
  DraftView,
  EarningsView,
  ErrorCode,
  OrderDetail,
  InboxAlert,
  OrderKey,
  OrderRow,
  ChangeBatch,
  PickedFiles,
  SavedFile,
  SyncStatus,
  UploadJobView,
  UploadProgress,
} from "./bindings";

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

async function subscribe<T>(event: string, handler: (payload: T) => void): Promise<Unlisten> {
  const unlisten = await listen<T>(event, (e) => handler(e.payload));
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

export const appInfo = (): Promise<AppInfo> => call<AppInfo>("app_info");
/** Active orders, most urgent first, with countdowns computed by the core at call time. */
export const listOrders = (): Promise<OrderRow[]> => call<OrderRow[]>("list_orders");
/** The rows of the named orders still listed (a named order absent has left the list). */
export const orderRowsOf = (keys: OrderKey[]): Promise<OrderRow[]> => call<OrderRow[]>("order_rows_of", { keys });
export const syncStatus = (): Promise<SyncStatus> => call<SyncStatus>("sync_status");
export const syncNow = (): Promise<SyncStatus> => call<SyncStatus>("sync_now");
/** Breakdown, forecast, requests and allowed actions of one order, as of now. */
export const orderDetail = (accountId: string, orderId: string): Promise<OrderDetail> =>
  call<OrderDetail>("order_detail", { accountId, orderId });
/** Queues a seller action in the outbox and returns the order's detail showing it. */
export const orderAction = (accountId: string, orderId: string, action: SellerAction): Promise<OrderDetail> =>
  call<OrderDetail>("order_action", { accountId, orderId, action });
/** Removes a refused action from the order's detail. */
export const dismissAction = (accountId: string, orderId: string, seq: number): Promise<OrderDetail> =>
  call<OrderDetail>("dismiss_action", { accountId, orderId, seq });
/** Forecast earnings by week and month. */
export const earnings = (accountId: string | null = null): Promise<EarningsView> =>
  call<EarningsView>("earnings", { accountId });

/** Saves the order's sales invoice (PDF) in the export folder. */
export const saveInvoice = (accountId: string, orderId: string): Promise<SavedFile> =>
  call<SavedFile>("save_invoice", { accountId, orderId });
/** Asks where with the system's save dialog, then saves the invoice; null when canceled. */
export const saveInvoiceAs = (accountId: string, orderId: string): Promise<SavedFile | null> =>
  call<SavedFile | null>("save_invoice_as", { accountId, orderId });
/** Saves the invoices of every order completed in a month (1–12). */
export const exportMonthInvoices = (year: number, month: number): Promise<BatchExport> =>
  call<BatchExport>("export_month_invoices", { year, month });
export type CsvKind = "orders" | "earnings_by_week" | "earnings_by_month";
/** Writes a CSV for the local days `from`..=`to` (YYYY-MM-DD) in the export folder. */
export const exportCsv = (kind: CsvKind, from: string, to: string): Promise<SavedFile> =>
  call<SavedFile>("export_csv", { kind, from, to });

/** The order's delivery draft, or null. */
export const loadDraft = (accountId: string, orderId: string): Promise<DraftView | null> =>
  call<DraftView | null>("load_draft", { accountId, orderId });
/** Saves the draft over version `base` (null: the first save); `conflict` if it moved on. */
export const saveDraft = (accountId: string, orderId: string, base: number | null, content: DraftContent): Promise<DraftView> =>
  call<DraftView>("save_draft", { accountId, orderId, base, content });
export const discardDraft = (accountId: string, orderId: string): Promise<boolean> =>
  call<boolean>("discard_draft", { accountId, orderId });
/** Opens the system's file dialog; the files chosen, checked against the size limit. */
export const pickDeliveryFiles = (accountId: string): Promise<PickedFiles> =>
  call<PickedFiles>("pick_delivery_files", { accountId });
/** Files dropped on the window (paths from the drop event), checked against the size limit. */
export const attachPaths = (accountId: string, paths: string[]): Promise<PickedFiles> =>
  call<PickedFiles>("attach_paths", { accountId, paths });

/** Sends the order's saved draft as a delivery: its files start uploading; the order's detail shows it. */
export const submitDelivery = (accountId: string, orderId: string): Promise<OrderDetail> =>
  call<OrderDetail>("submit_delivery", { accountId, orderId });
/** Every upload of every account, newest delivery first. */
export const listUploads = (): Promise<UploadJobView[]> => call<UploadJobView[]>("list_uploads");
export const pauseUpload = (jobId: string): Promise<void> => call<void>("pause_upload", { jobId });
/** Resumes a paused or failed upload from the server's offset. */
export const resumeUpload = (jobId: string): Promise<void> => call<void>("resume_upload", { jobId });
/** Cancels an upload (its whole delivery): ended on the server, back in the draft. */
export const cancelUpload = (id: string): Promise<void> => call<void>("cancel_upload", { id });
/** Upload progress (at most 5 a second per file, and on every state change). */
export const onUploadProgress = (handler: (progress: UploadProgress) => void): Promise<Unlisten> =>
  subscribe<UploadProgress>("upload-progress", handler);

/** The workspace's marketplace accounts (no tokens). */
export const listAccounts = (): Promise<AccountView[]> => call<AccountView[]>("list_accounts");
/** Adds a marketplace account; the token goes to the keychain and never comes back. */
export const addAccount = (label: string, baseUrl: string, token: string): Promise<AccountView> =>
  call<AccountView>("add_account", { label, baseUrl, token });
/** Removes an account with its orders, drafts and queued actions, and its token. */
export const removeAccount = (accountId: string): Promise<void> => call<void>("remove_account", { accountId });
export const alertSettings = (): Promise<AlertSettings> => call<AlertSettings>("alert_settings");
/** Saves the alert settings; the core answers them normalised, or refuses with a reason. */
export const saveAlertSettings = (settings: AlertSettings): Promise<AlertSettings> =>
  call<AlertSettings>("save_alert_settings", { settings });

/** The alerts that still need the seller, for the inbox (resolved ones are gone). */
export const alertsInbox = (): Promise<InboxAlert[]> => call<InboxAlert[]>("alerts_inbox");
/** How many items wait for the seller's answer (the badge). */
export const needsResponseCount = (): Promise<number> => call<number>("needs_response_count");
/** The badge count changed (after a sync). */
export const onNeedsResponse = (handler: (count: number) => void): Promise<Unlisten> =>
  subscribe<number>("needs-response", handler);

/** Files dropped on the window (Tauri's drag-and-drop, with their paths). */
export const onFilesDropped = (handler: (paths: string[]) => void): Promise<Unlisten> =>
  subscribe<{ paths: string[] }>("tauri://drag-drop", (p) => handler(p.paths ?? []));

export const onSyncStatus = (handler: (status: SyncStatus) => void): Promise<Unlisten> =>
  subscribe<SyncStatus>("sync-status", handler);

/** What changed in the core (one batch per operation or sync round). */
export const onChanges = (handler: (batch: ChangeBatch) => void): Promise<Unlisten> =>
  subscribe<ChangeBatch>("changes", handler);

/** Alerts the core raised (also sent as native notifications when a service runs). */
export const onAlerts = (handler: (alerts: Alert[]) => void): Promise<Unlisten> =>
  subscribe<Alert[]>("alerts", handler);

/** A notification was clicked: focus this order. */
export const onOpenOrder = (handler: (target: { accountId: string; orderId: string }) => void): Promise<Unlisten> =>
  subscribe<{ accountId: string; orderId: string }>("open-order", handler);
