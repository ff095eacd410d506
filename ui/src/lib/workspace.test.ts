// The store's ordering rules: answers that arrive late never overwrite newer data, and a
// startup error stops everything else.
import { describe, expect, it } from "vitest";
import type { OrderRow, SyncStatus } from "./bindings";
import { Workspace } from "./workspace.svelte";
import { deferred, DEMO_INFO, emitSyncStatus, installFakeCore, OK_SYNC, order } from "../test/fakeCore";

const NEVER = 3_600_000;

describe("Workspace", () => {
  it("never lets an older list_orders answer replace a newer one", async () => {
    const first = deferred<OrderRow[]>();
    const second = deferred<OrderRow[]>();
    const answers = [first.promise, second.promise];
    installFakeCore({ orders: () => answers.shift() ?? Promise.reject("unexpected fetch") });
    const ws = new Workspace({ refreshMs: NEVER });
    const slow = ws.refreshOrders();
    const fast = ws.refreshOrders();
    second.resolve([order("NEW")]);
    await fast;
    first.resolve([order("OLD")]);
    await slow;
    expect(ws.orders.map((o) => o.id), "the later request's rows must win").toEqual(["NEW"]);
    ws.stop();
  });

  it("keeps a sync-status event that arrived while sync_now was in flight", async () => {
    const answer = deferred<SyncStatus>();
    installFakeCore({ orders: [], syncNow: () => answer.promise });
    const ws = new Workspace({ refreshMs: NEVER });
    await ws.start();
    const request = ws.syncNow();
    expect(ws.syncRequested, "a requested sync must mark the store busy").toBe(true);
    await emitSyncStatus({ ...OK_SYNC, message: "Synced 30 orders (event)" });
    answer.resolve({ state: "syncing", message: "Syncing…", lastSuccessAt: null, nextRetrySecs: null, accounts: [] });
    await request;
    expect(ws.sync?.message, "an event newer than the command's answer must not be overwritten").toBe("Synced 30 orders (event)");
    expect(ws.syncRequested, "busy must clear once sync_now answered").toBe(false);
    ws.stop();
  });

  it("reaches the ready phase only after app info and the first list", async () => {
    const rows = deferred<OrderRow[]>();
    installFakeCore({ orders: () => rows.promise });
    const ws = new Workspace({ refreshMs: NEVER });
    expect(ws.phase, "nothing known yet").toBe("loading");
    const started = ws.start();
    rows.resolve([]);
    await started;
    expect(ws.phase, "an empty list is a real answer").toBe("ready");
    expect(ws.info?.marketplace).toBe(DEMO_INFO.marketplace);
    ws.stop();
  });

  it("does not subscribe or fetch after a startup error", async () => {
    const core = installFakeCore({ info: { ...DEMO_INFO, startupError: { code: "storage", message: "disk full" } } });
    const ws = new Workspace({ refreshMs: 10 });
    await ws.start();
    await new Promise((r) => setTimeout(r, 40));
    expect(ws.phase).toBe("startup_error");
    expect(core.calls, "a refused workspace must not be polled").toEqual(["app_info"]);
    ws.stop();
  });

  it("fetches nothing once stopped, whoever asks", async () => {
    const core = installFakeCore({ orders: [] });
    const ws = new Workspace({ refreshMs: NEVER });
    await ws.start();
    ws.stop();
    await ws.refreshOrders();
    expect(core.count("list_orders"), "a stopped store must not call the core").toBe(1);
  });
});
