// A stand-in for the Rust core behind `@tauri-apps/api/mocks`: answers the window's
// commands from plain data, records every call, and lets tests emit the core's events.
// Components under test still go through the real platform module.
import { emit } from "@tauri-apps/api/event";
import { mockIPC } from "@tauri-apps/api/mocks";
import type {
  AppError,
  AppInfo,
  Countdown,
  CountdownState,
  EarningsView,
  OrderDetail,
  OrderPage,
  OrderRow,
  ChangeBatch,
  SyncStatus,
} from "../lib/bindings";

type Answer<T> = T | (() => T | Promise<T>);

export type FakeCore = {
  info: Answer<AppInfo>;
  /** The whole active list: `order_page` answers its pages. */
  orders: Answer<OrderRow[]>;
  sync: Answer<SyncStatus>;
  syncNow: Answer<SyncStatus>;
  detail: Answer<OrderDetail | null>;
  earnings: Answer<EarningsView | null>;
  /** Arguments of every order_detail call. */
  detailArgs: unknown[];
  /** The arguments of every `order_page` call. */
  pageArgs: { offset: number; limit: number }[];
  /** Arguments of every earnings call. */
  earningsArgs: unknown[];
  /** What order_action answers, and the arguments of every call. */
  afterAction: Answer<OrderDetail | null>;
  actionArgs: unknown[];
  /** Answers of the other commands (exports, drafts, uploads…) by command name — a
   *  function gets the call's arguments — and every call to them in order. */
  more: Record<string, Answer<unknown> | ((args: Record<string, unknown>) => unknown)>;
  moreArgs: { cmd: string; args: unknown }[];
  /** Command names in call order (event plumbing excluded). */
  calls: string[];
  count(command: string): number;
};

export const DEMO_INFO: AppInfo = { version: "0.1.0", demo: true, marketplace: "Fiverr-like", marketplaces: ["Fiverr-like"], startupError: null };

export const OK_SYNC: SyncStatus = {
  state: "ok",
  message: "Synced 3 orders",
  lastSuccessAt: Date.UTC(2026, 10, 22, 12, 0),
  nextRetrySecs: null,
  accounts: [],
};

export function countdown(state: CountdownState, label: string, seconds = 3600): Countdown {
  return { state, label, seconds };
}

export function order(id: string, fields: Partial<OrderRow> = {}): OrderRow {
  // `accountId` is extra under the agreed contract but sent by the current Rust rows; with
  // it, the fixtures type-check against both, so regenerated bindings keep tests building.
  const row = {
    id,
    accountId: "demo",
    title: `Order ${id}`,
    buyer: "maria_k",
    status: "in_progress",
    statusLabel: "In progress",
    priceLabel: "$145.00",
    marketplace: "Fiverr-like",
    dueAt: Date.UTC(2026, 10, 24, 16, 30),
    countdown: countdown("on_time", "2d 4h left", 189_000),
    deadline: "delivery",
    ...fields,
  };
  return row as OrderRow;
}

/** Rows `offset..offset + limit` of `rows`, with the whole list's size and counts. */
export function pageOf(rows: OrderRow[], offset: number, limit: number): OrderPage {
  const from = Math.min(offset, rows.length);
  const state = (r: OrderRow) => (r.countdown as Countdown | null | undefined)?.state;
  const count = (f: (r: OrderRow) => boolean) => rows.filter(f).length;
  return {
    offset: from,
    rows: rows.slice(from, from + limit),
    total: rows.length,
    summary: {
      total: rows.length,
      late: count((r) => state(r) === "late" || state(r) === "very_late"),
      dueSoon: count((r) => state(r) === "due_soon"),
      toAccept: count((r) => r.status === "awaiting_acceptance"),
    },
  };
}

async function answer<T>(a: Answer<T>): Promise<T> {
  return typeof a === "function" ? (a as () => T | Promise<T>)() : a;
}

/** Installs the fake core (with event mocking) and returns it for the test to steer. */
export function installFakeCore(
  init: Partial<Omit<FakeCore, "calls" | "count" | "detailArgs" | "pageArgs" | "earningsArgs" | "actionArgs" | "moreArgs">> = {},
): FakeCore {
  const core: FakeCore = {
    info: DEMO_INFO,
    orders: [],
    sync: OK_SYNC,
    syncNow: { ...OK_SYNC, message: "Synced just now" },
    detail: null,
    earnings: null,
    afterAction: null,
    more: {},
    ...init,
    moreArgs: [],
    detailArgs: [],
    pageArgs: [],
    earningsArgs: [],
    actionArgs: [],
    calls: [],
    count: (command) => core.calls.filter((c) => c === command).length,
  };
  mockIPC(
    (cmd, args) => {
      core.calls.push(cmd);
      switch (cmd) {
        case "app_info":
          return answer(core.info);
        case "order_page": {
          // A slice of the whole list with its size and counts, as the core answers.
          const { offset, limit } = args as { offset: number; limit: number };
          core.pageArgs.push({ offset, limit });
          return answer(core.orders).then((rows) => pageOf(rows, offset, limit));
        }
        case "sync_status":
          return answer(core.sync);
        case "sync_now":
          return answer(core.syncNow);
        case "order_detail":
          core.detailArgs.push(args);
          return answer(core.detail);
        case "earnings":
          core.earningsArgs.push(args);
          return answer(core.earnings);
        case "order_action":
          core.actionArgs.push(args);
          return answer(core.afterAction);
        default: {
          const a = core.more[cmd];
          if (a !== undefined && !cmd.startsWith("plugin:")) {
            core.moreArgs.push({ cmd, args });
            return typeof a === "function"
              ? Promise.resolve().then(() => (a as (args: Record<string, unknown>) => unknown)(args as Record<string, unknown>))
              : Promise.resolve(a);
          }
          return Promise.reject({ code: "internal", message: `unknown command ${cmd}` } satisfies AppError);
        }
      }
    },
    { shouldMockEvents: true },
  );
  return core;
}

/** The core's `sync-status` event. */
export const emitSyncStatus = (status: SyncStatus) => emit("sync-status", status);
/** The core's `changes` batch. */
export const emitChanges = (batch: ChangeBatch) => emit("changes", batch);
/** A batch naming these orders of the demo account as changed. */
export const ordersChanged = (...ids: string[]): ChangeBatch => ({
  changes: ids.map((orderId) => ({ accountId: "demo", orderId, what: "order" as const })),
});

/** A promise the test settles by hand, to hold a command in flight. */
export function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (reason: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}
