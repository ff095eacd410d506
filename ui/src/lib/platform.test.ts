// The platform seam: commands come back typed, every rejection becomes an AppError the UI
// can act on, and event subscriptions deliver payloads until unsubscribed.
import { mockIPC } from "@tauri-apps/api/mocks";
import { describe, expect, it } from "vitest";
import type { AppError, ChangeBatch } from "./bindings";
import * as platform from "./platform";
import { emitChanges, ordersChanged, emitSyncStatus, installFakeCore, OK_SYNC, order, pageOf } from "../test/fakeCore";

const rejectAll = (reason: unknown) => mockIPC(() => Promise.reject(reason));

describe("platform commands", () => {
  it("returns the core's answers unchanged", async () => {
    const rows = [order("A-1"), order("A-2")];
    const core = installFakeCore({ orders: rows });
    await expect(platform.orderPage(1, 5), "order_page must pass the page through untouched").resolves.toEqual(pageOf(rows, 1, 5));
    await expect(platform.syncNow(), "sync_now must return the core's status").resolves.toEqual(core.syncNow);
    expect(core.calls, "each function must call exactly its command").toEqual(["order_page", "sync_now"]);
    expect(core.pageArgs, "the arguments reach the command by name").toEqual([{ offset: 1, limit: 5 }]);
  });

  it.each<[string, unknown, AppError]>([
    ["an AppError from the core", { code: "auth_expired", message: "Sign in again" }, { code: "auth_expired", message: "Sign in again" }],
    ["a newer-schema refusal", { code: "newer_schema", message: "written by a newer sellerdesk" }, { code: "newer_schema", message: "written by a newer sellerdesk" }],
    ["a plain string", "command order_page not found", { code: "internal", message: "command order_page not found" }],
    ["an Error", new Error("IPC channel closed"), { code: "internal", message: "IPC channel closed" }],
    ["an unknown code", { code: "teapot", message: "short and stout" }, { code: "internal", message: "short and stout" }],
    ["a code without a message", { code: "offline" }, { code: "internal", message: '{"code":"offline"}' }],
    ["nothing at all", undefined, { code: "internal", message: "Unknown error" }],
  ])("turns %s into an AppError", async (_case, reason, expected) => {
    rejectAll(reason);
    await expect(platform.orderPage(0, 20), "a rejected invoke must reject with a well-formed AppError").rejects.toEqual(expected);
  });

  it("keeps AppError's shape exact (no extra fields leak from the rejection)", () => {
    const error = platform.toAppError({ code: "conflict", message: "changed elsewhere", stack: "…" });
    expect(Object.keys(error).sort(), "an AppError has exactly code and message").toEqual(["code", "message"]);
  });
});

describe("platform events", () => {
  it("delivers sync-status payloads until unsubscribed", async () => {
    installFakeCore();
    const seen: string[] = [];
    const unlisten = await platform.onSyncStatus((status) => seen.push(status.state));
    await emitSyncStatus({ ...OK_SYNC, state: "syncing", message: "Syncing…" });
    expect(seen, "a subscribed handler must receive the payload").toEqual(["syncing"]);
    unlisten();
    unlisten(); // twice is harmless
    await new Promise((r) => setTimeout(r, 0));
    await emitSyncStatus(OK_SYNC);
    expect(seen, "no payload may arrive after unlisten").toEqual(["syncing"]);
  });

  it("delivers change batches as the core sent them", async () => {
    installFakeCore();
    const batches: ChangeBatch[] = [];
    await platform.onChanges((batch) => batches.push(batch));
    await emitChanges(ordersChanged("D-1001", "D-1002"));
    expect(batches, "the batch must reach the handler").toEqual([ordersChanged("D-1001", "D-1002")]);
  });
});
