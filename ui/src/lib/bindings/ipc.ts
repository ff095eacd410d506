// Generated from src-tauri/src/commands.rs and EVENTS in crates/app/src/surface.rs by
// src-tauri/tests/ipc_bindings.rs: do not edit. Regenerate with
// `UPDATE_BINDINGS=1 cargo test -p sellerdesk --test ipc_bindings`.
import type { AccountView, Alert, AlertSettings, AppInfo, BatchExport, BusinessProfile, ChangeBatch, ConnectionCheck, CsvKind, DraftContent, DraftView, EarningsView, Id, InboxPage, MarketplaceChoice, OrderDetail, OrderKey, OrderPage, OrderQuery, OrderRow, PickedFiles, SavedFile, SellerAction, SyncStatus, UploadJobView, UploadProgress } from "./index";

/** How the window calls one command (the platform seam passes its own). */
export type Call = <T>(command: string, args?: Record<string, unknown>) => Promise<T>;

/** Every command of the shell, typed, over `call`. */
export function ipcCommands(call: Call) {
  return {
    appInfo: (): Promise<AppInfo> => call<AppInfo>("app_info"),
    /** Rows `offset..offset + limit` of the active list, with the whole list's size and counts. */
    orderPage: (offset: number, limit: number): Promise<OrderPage> => call<OrderPage>("order_page", { offset, limit }),
    /** The orders of a status group matching a search, sorted as asked (past orders too). */
    findOrders: (query: OrderQuery): Promise<OrderRow[]> => call<OrderRow[]>("find_orders", { query }),
    syncStatus: (): Promise<SyncStatus> => call<SyncStatus>("sync_status"),
    syncNow: (): Promise<SyncStatus> => call<SyncStatus>("sync_now"),
    orderDetail: (accountId: Id, orderId: Id): Promise<OrderDetail> => call<OrderDetail>("order_detail", { accountId, orderId }),
    earnings: (accountId: Id | null): Promise<EarningsView> => call<EarningsView>("earnings", { accountId }),
    /** A seller action: to the outbox, pushed by the core's engine; answers the order's detail showing it pending. */
    orderAction: (accountId: Id, orderId: Id, action: SellerAction): Promise<OrderDetail> => call<OrderDetail>("order_action", { accountId, orderId, action }),
    /** Removes a refused action from an order's detail. */
    dismissAction: (accountId: Id, orderId: Id, seq: number): Promise<OrderDetail> => call<OrderDetail>("dismiss_action", { accountId, orderId, seq }),
    /** Saves the order's sales invoice (PDF) in the export folder and returns where. */
    saveInvoice: (accountId: Id, orderId: Id): Promise<SavedFile> => call<SavedFile>("save_invoice", { accountId, orderId }),
    /** Asks where to save the order's invoice (the system's save dialog), then saves it there. `None` when the seller closes the dialog. */
    saveInvoiceAs: (accountId: Id, orderId: Id): Promise<SavedFile | null> => call<SavedFile | null>("save_invoice_as", { accountId, orderId }),
    /** Saves the invoices of every order completed in a month under the export folder. */
    exportMonthInvoices: (year: number, month: number): Promise<BatchExport> => call<BatchExport>("export_month_invoices", { year, month }),
    /** Writes a CSV of orders or earnings for `from..=to` (local days) in the export folder. */
    exportCsv: (kind: CsvKind, from: string, to: string): Promise<SavedFile> => call<SavedFile>("export_csv", { kind, from, to }),
    /** The folder exports go to now. */
    exportFolder: (): Promise<string> => call<string>("export_folder"),
    /** Asks for a new export folder (the system's folder dialog) and keeps it; `None` when the seller closes the dialog. */
    chooseExportFolder: (): Promise<string | null> => call<string | null>("choose_export_folder"),
    /** Shows an exported file in the system's file manager (the opener plugin); only files in the export folder. */
    showInFolder: (path: string): Promise<void> => call<void>("show_in_folder", { path }),
    /** The order's delivery draft, if the seller started one. */
    loadDraft: (accountId: Id, orderId: Id): Promise<DraftView | null> => call<DraftView | null>("load_draft", { accountId, orderId }),
    /** Autosave over version `base` (an older base is refused as `conflict`). Every file must have been picked or dropped by the seller: else `not_allowed`, nothing saved. */
    saveDraft: (accountId: Id, orderId: Id, base: number | null, content: DraftContent): Promise<DraftView> => call<DraftView>("save_draft", { accountId, orderId, base, content }),
    discardDraft: (accountId: Id, orderId: Id): Promise<boolean> => call<boolean>("discard_draft", { accountId, orderId }),
    /** Files to deliver, chosen in the system's file dialog and checked at once. */
    pickDeliveryFiles: (accountId: Id): Promise<PickedFiles> => call<PickedFiles>("pick_delivery_files", { accountId }),
    /** Files dropped on the window, attached by the paths the drop event carried (only those the seller picked or dropped). */
    attachPaths: (accountId: Id, paths: string[]): Promise<PickedFiles> => call<PickedFiles>("attach_paths", { accountId, paths }),
    /** The marketplace accounts of the workspace (no tokens). */
    listAccounts: (): Promise<AccountView[]> => call<AccountView[]>("list_accounts"),
    alertSettings: (): Promise<AlertSettings> => call<AlertSettings>("alert_settings"),
    /** Checks and saves the alert settings; answers them as saved. */
    saveAlertSettings: (settings: AlertSettings): Promise<AlertSettings> => call<AlertSettings>("save_alert_settings", { settings }),
    /** The business printed on invoices as the seller (empty until filled in). */
    businessProfile: (): Promise<BusinessProfile> => call<BusinessProfile>("business_profile"),
    /** Checks and saves the business profile; answers it as saved. */
    saveBusinessProfile: (profile: BusinessProfile): Promise<BusinessProfile> => call<BusinessProfile>("save_business_profile", { profile }),
    /** How many items wait for the seller's answer (new orders, open buyer requests). */
    needsResponseCount: (): Promise<number> => call<number>("needs_response_count"),
    /** The `limit` most urgent alerts that still need the seller (answered, delivered or expired ones resolve), and how many there are. */
    alertsInbox: (limit: number): Promise<InboxPage> => call<InboxPage>("alerts_inbox", { limit }),
    /** Adds a marketplace account; its token goes to the keychain (off the main thread) and never comes back to the window. */
    addAccount: (label: string, baseUrl: string, token: string): Promise<AccountView> => call<AccountView>("add_account", { label, baseUrl, token }),
    /** The marketplaces the seller can pick when adding an account. */
    marketplaces: (): Promise<MarketplaceChoice[]> => call<MarketplaceChoice[]>("marketplaces"),
    /** "Test connection": the address and token reach a server of the picked marketplace. */
    testConnection: (baseUrl: string, token: string, marketplace: string | null): Promise<ConnectionCheck> => call<ConnectionCheck>("test_connection", { baseUrl, token, marketplace }),
    /** Removes an account with its orders, drafts, queued actions and token. */
    removeAccount: (accountId: Id): Promise<void> => call<void>("remove_account", { accountId }),
    /** Sends the order's saved draft as a delivery (every file picked by the seller). */
    submitDelivery: (accountId: Id, orderId: Id): Promise<OrderDetail> => call<OrderDetail>("submit_delivery", { accountId, orderId }),
    /** Every upload of every account, newest delivery first. */
    listUploads: (): Promise<UploadJobView[]> => call<UploadJobView[]>("list_uploads"),
    pauseUpload: (jobId: Id): Promise<void> => call<void>("pause_upload", { jobId }),
    resumeUpload: (jobId: Id): Promise<void> => call<void>("resume_upload", { jobId }),
    /** Cancels an upload (or a whole delivery): ended on the server, back in the draft. */
    cancelUpload: (id: Id): Promise<void> => call<void>("cancel_upload", { id }),
    /** Whether sellerdesk starts at login (off until the seller turns it on in Settings). */
    startAtLogin: (): Promise<boolean> => call<boolean>("start_at_login"),
    /** Turns start at login on or off; answers the setting as it now is. */
    setStartAtLogin: (on: boolean): Promise<boolean> => call<boolean>("set_start_at_login", { on }),
  };
}

/** Every event the shell emits, with its payload. */
export type EventPayloads = {
  "changes": ChangeBatch;
  "sync-status": SyncStatus;
  "upload-progress": UploadProgress;
  "needs-response": number;
  "alerts": Alert[];
  "open-order": OrderKey;
};
