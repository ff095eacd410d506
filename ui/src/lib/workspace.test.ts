// The store's ordering rules: answers that arrive late never overwrite newer data, and a
// startup error stops everything else.
import { describe, expect, it } from "vitest";
import type { OrderRow, SyncStatus } from "./bindings";
import { Workspace } from "./workspace.svelte";
import { deferred, DEMO_INFO, emitSyncStatus, installFakeCore, OK_SYNC, order } from "../test/fakeCore";

const NEVER = 3_600_000;

async function waitUntil(ok: () => boolean): Promise<void> {
  for (let i = 0; i < 100 && !ok(); i++) await new Promise((r) => setTimeout(r, 5));
  expect(ok(), "the state waited for").toBe(true);
}

describe("Workspace", () => {
  it("asks one page at a time and, after a change during a fetch, asks again so newer rows win", async () => {
    const first = deferred<OrderRow[]>();
    const second = deferred<OrderRow[]>();
    const answers = [first.promise, second.promise];
    const core = installFakeCore({ orders: () => answers.shift() ?? Promise.reject("unexpected fetch") });
    const ws = new Workspace({ refreshMs: NEVER });
    const slow = ws.refreshOrders();
    const changed = ws.refreshOrders(); // a change while the first is in flight
    expect(core.count("order_page"), "one page in flight at a time").toBe(1);
    first.resolve([order("OLD")]);
    await slow;
    await waitUntil(() => core.count("order_page") === 2);
    second.resolve([order("NEW")]);
    await changed;
    expect(ws.rows.map((o) => o.id), "the rows asked for after the change win").toEqual(["NEW"]);
    ws.stop();
  });

  it("resolves show() once the rows asked for are held, fetching only what is not", async () => {
    const many = Array.from({ length: 1_000 }, (_, i) => order(`C-${i}`));
    const core = installFakeCore({ orders: many });
    const ws = new Workspace({ refreshMs: NEVER });
    await ws.start();
    const asked = core.count("order_page");
    await ws.show(0, 10);
    expect(core.count("order_page"), "rows already held are not asked again").toBe(asked);
    await ws.show(990, 1_000);
    expect(ws.rowAt(999)?.id, "the last row is held once show() resolves").toBe("C-999");
    expect(ws.rowAt(0), "far rows are let go").toBeUndefined();
    expect(ws.rows.length, "a page, not the list").toBeLessThan(200);
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
    expect(core.calls.sort(), "a refused workspace is not polled (the first page was asked beside app_info)").toEqual(["app_info", "order_page"]);
    ws.stop();
  });

  it("fetches nothing once stopped, whoever asks", async () => {
    const core = installFakeCore({ orders: [] });
    const ws = new Workspace({ refreshMs: NEVER });
    await ws.start();
    ws.stop();
    const asked = core.count("order_page");
    await ws.refreshOrders();
    await ws.show(500, 600);
    expect(core.count("order_page"), "a stopped store must not call the core").toBe(asked);
  });
});
