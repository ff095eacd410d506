// Re-exports the types generated from Rust by ts-rs (the other files in this folder).
// The app imports IPC types only from here.
export type { AppError } from "./AppError";
export type { AppInfo } from "./AppInfo";
export type { Countdown } from "./Countdown";
export type { CountdownState } from "./CountdownState";
export type { ErrorCode } from "./ErrorCode";
export type { OrderRow } from "./OrderRow";
export type { OrdersChanged } from "./OrdersChanged";
export type { SyncState } from "./SyncState";
export type { SyncStatus } from "./SyncStatus";
export type { ActionView } from "./ActionView";
export type { BreakdownLine } from "./BreakdownLine";
export type { EarningsPeriod } from "./EarningsPeriod";
export type { EarningsView } from "./EarningsView";
export type { ForecastView } from "./ForecastView";
export type { OrderDetail } from "./OrderDetail";
export type { RequestView } from "./RequestView";
export type { ReviewView } from "./ReviewView";
export type { ActionRequest } from "./ActionRequest";
export type { OutboxView } from "./OutboxView";
export type { Alert } from "./Alert";
export type { AlertKind } from "./AlertKind";
export type { SavedFile } from "./SavedFile";
export type { BatchExport } from "./BatchExport";
