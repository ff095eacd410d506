// The window as a user sees it, over a fake core behind the real platform module: rows in
// the core's order with their countdowns, the empty and startup-error screens, the sync
// line following the core's events, and the list following the core's change batches.
import { fireEvent, render, screen, waitFor, within } from "@testing-library/svelte";
import { describe, expect, it, vi } from "vitest";
import { emit } from "@tauri-apps/api/event";
import App from "./App.svelte";
import type { OrderRow } from "./lib/bindings";
import {
  countdown,
  deferred,
  DEMO_INFO,
  emitChanges,
  ordersChanged,
  emitSyncStatus,
  installFakeCore,
  OK_SYNC,
  order,
} from "./test/fakeCore";

const NEVER = 3_600_000; // a refresh interval no test waits for

function rowsShown() {
  return screen.queryAllByTestId("order-row").map((row) => ({
    id: row.dataset.orderId,
    title: within(row).getByTestId("order-title").textContent?.trim(),
    countdown: within(row).getByTestId("order-countdown").textContent?.trim(),
    state: within(row).getByTestId("order-countdown").dataset.state,
  }));
}

const UNSORTED: OrderRow[] = [
  order("D-1002", { title: "Podcast intro jingle", countdown: countdown("late", "late by 3h", -12_000) }),
  order("D-1007", { title: "Landing page copy", countdown: countdown("very_late", "late by 2d 1h", -176_400) }),
  order("D-1005", { title: "Product photos retouch", countdown: countdown("due_soon", "5h 10m left", 18_600) }),
  order("D-1001", { title: "Minimalist logo for a coffee roastery", countdown: countdown("on_time", "2d 4h left", 189_000) }),
];

describe("order list", () => {
  it("shows the rows in the order the core gave, with title, countdown text and state", async () => {
    installFakeCore({ orders: UNSORTED });
    render(App, { refreshMs: NEVER });
    await screen.findAllByTestId("order-row");
    expect(rowsShown(), "rows must keep the core's urgency order and show its labels and states").toEqual([
      { id: "D-1002", title: "Podcast intro jingle", countdown: "late by 3h", state: "late" },
      { id: "D-1007", title: "Landing page copy", countdown: "late by 2d 1h", state: "very_late" },
      { id: "D-1005", title: "Product photos retouch", countdown: "5h 10m left", state: "due_soon" },
      { id: "D-1001", title: "Minimalist logo for a coffee roastery", countdown: "2d 4h left", state: "on_time" },
    ]);
    expect(screen.getByRole("list", { name: "Active orders" }), "the rows must form a labelled list").toBeTruthy();
  });

  it("shows buyer, the marketplace's status word, price and a status tag on each row", async () => {
    installFakeCore({
      orders: [order("H-9", { buyer: "tom_b", status: "revision_requested", statusLabel: "Needs changes", priceLabel: "$1,234.50" })],
    });
    render(App, { refreshMs: NEVER });
    const row = await screen.findByTestId("order-row");
    expect(within(row).getByTestId("order-buyer").textContent, "the buyer must show").toBe("tom_b");
    expect(within(row).getByTestId("order-status").textContent, "the marketplace's own status word must show").toBe("Needs changes");
    expect(within(row).getByTestId("order-price").textContent, "the price label must show as given").toBe("$1,234.50");
    expect(row.dataset.status, "the row must be tagged with the canonical status").toBe("revision_requested");
    expect(row.className, "a revision request must get the 'attention' tone").toContain("tone-attention");
  });

  it("shows a row without a countdown (nothing owed) instead of failing", async () => {
    // The agreed contract always carries a countdown; the current core omits it on
    // delivered and disputed rows, and the window must survive either.
    const delivered = order("D-1003", { status: "delivered", statusLabel: "Delivered" });
    installFakeCore({ orders: [{ ...delivered, countdown: null } as unknown as OrderRow] });
    render(App, { refreshMs: NEVER });
    await screen.findByTestId("order-row");
    expect(rowsShown(), "a row with no countdown must still render, marked as such").toEqual([
      { id: "D-1003", title: "Order D-1003", countdown: "Nothing due", state: "none" },
    ]);
  });

  it("shows a loading state until the first list arrives", async () => {
    const pending = deferred<OrderRow[]>();
    const core = installFakeCore({ orders: () => pending.promise });
    render(App, { refreshMs: NEVER });
    await waitFor(() => expect(core.count("order_page"), "the first rows must have been asked for").toBe(1));
    await waitFor(() => expect(screen.getByTestId("sync-status").dataset.state).toBe("ok"));
    expect(screen.queryByTestId("loading"), "a loading state must show while the first list is on its way").not.toBeNull();
    expect(screen.queryByTestId("empty-state"), "no empty state may show before the core answered").toBeNull();
    pending.resolve([order("A-1")]);
    await screen.findByTestId("order-row");
    expect(screen.queryByTestId("loading"), "the loading state must go once rows arrive").toBeNull();
  });

  it("asks for the first screen's rows first, then the rest of a short list, counting the whole list from the start", async () => {
    const all = Array.from({ length: 100 }, (_, i) =>
      order(`A-${String(i).padStart(3, "0")}`, i < 3 ? { countdown: countdown("late", "late by 1h", -3_600) } : {}),
    );
    const core = installFakeCore({ orders: all });
    render(App, { refreshMs: NEVER });
    await waitFor(() => expect(screen.getAllByTestId("order-row")).toHaveLength(100));
    expect(core.pageArgs[0], "the first screen's rows are asked for first").toEqual({ offset: 0, limit: 20 });
    expect(core.pageArgs.slice(1).every((p) => p.offset === 0 && p.limit === 300), "then a short list whole").toBe(true);
    expect(rowsShown()[0]?.id, "in the core's order").toBe("A-000");
    expect(screen.getByTestId("order-list").dataset.total).toBe("100");
    const summary = screen.getByTestId("order-summary").textContent;
    expect(summary, "the core's counts over the whole list").toContain("100 active");
    expect(summary).toContain("3 late");
  });

  it("shows the empty state, not a list, when there are no active orders", async () => {
    installFakeCore({ orders: [] });
    render(App, { refreshMs: NEVER });
    const empty = await screen.findByTestId("empty-state");
    expect(empty.textContent, "the empty state must say there are no active orders").toContain("No active orders");
    expect(screen.queryByTestId("order-list"), "an empty state replaces the list").toBeNull();
  });

  it("asks again for the rows shown when a batch names an order, and re-renders only the rows that changed", async () => {
    const core = installFakeCore({
      orders: [order("A-1", { title: "Old title" }), order("A-3", { title: "Untouched", countdown: countdown("on_time", "3d left", 260_000) })],
    });
    render(App, { refreshMs: NEVER });
    await screen.findByText("Old title");
    await waitFor(() => expect(core.count("order_page"), "the first rows, then the short list").toBe(2));
    const untouched = screen.getAllByTestId("order-row").find((r) => r.dataset.orderId === "A-3");
    const before = core.count("order_page");
    core.orders = [
      order("A-1", { title: "New title" }),
      order("A-2", { title: "Brand new order" }),
      order("A-3", { title: "Untouched", countdown: countdown("on_time", "3d left", 260_000) }),
    ];
    await emitChanges(ordersChanged("A-1", "A-2"));
    await screen.findByText("Brand new order");
    expect(core.count("order_page"), "one page asked again").toBe(before + 1);
    expect(core.pageArgs.at(-1), "the rows shown, never more than a page").toEqual({ offset: 0, limit: 300 });
    expect(rowsShown().map((r) => r.title), "the changed rows, in the core's order").toEqual(["New title", "Brand new order", "Untouched"]);
    const after = screen.getAllByTestId("order-row").find((r) => r.dataset.orderId === "A-3");
    expect(after, "a row that did not change keeps its DOM node").toBe(untouched);
  });

  it("shows a buyer request about to expire where the core ranks it when a batch brings it, and says it is a request", async () => {
    const core = installFakeCore({
      orders: [
        order("LATE", { title: "Late order", countdown: countdown("late", "late by 3d", -259_200) }),
        order("SOON", { title: "Due in a day", countdown: countdown("due_soon", "23h left", 82_800) }),
      ],
    });
    render(App, { refreshMs: NEVER });
    await screen.findByText("Late order");
    await screen.findByTestId("order-summary");
    // The core ranks it (crates/core/src/view.rs `urgency_rank`): within the hour, above late ones.
    core.orders = [
      order("ASKED", { title: "Buyer asked", deadline: "request", countdown: countdown("due_soon", "59m left", 3_540) }),
      ...(core.orders as OrderRow[]),
    ];
    await emitChanges(ordersChanged("ASKED"));
    await screen.findByText("Buyer asked");
    expect(rowsShown().map((r) => r.title), "imminent first, then late, then the rest").toEqual(["Buyer asked", "Late order", "Due in a day"]);
    const asked = screen.getAllByTestId("order-row")[0]!;
    expect(asked.dataset.deadline).toBe("request");
    expect(within(asked).getByTestId("order-countdown").textContent).toBe("Request: 59m left");
  });

  it("moves between rows with the arrow keys and j/k, with one row in the tab order", async () => {
    installFakeCore({ orders: [order("A-1", { title: "One" }), order("A-2", { title: "Two" }), order("A-3", { title: "Three" })] });
    render(App, { refreshMs: NEVER });
    await screen.findByText("Three");
    const titles = () => screen.getAllByTestId("order-title");
    expect(titles().map((t) => t.tabIndex), "only the first row is a tab stop").toEqual([0, -1, -1]);
    titles()[0]!.focus();
    const press = async (key: string, lands: string) => {
      await fireEvent.keyDown(document.activeElement!, { key });
      await waitFor(() => expect(document.activeElement?.textContent, `${key} lands on ${lands}`).toBe(lands));
    };
    await press("ArrowDown", "Two");
    await press("j", "Three");
    await press("j", "Three");
    await press("k", "Two");
    await press("ArrowUp", "One");
    await press("End", "Three");
    await press("Home", "One");
    await press("End", "Three");
    expect(titles().map((t) => t.tabIndex), "the tab stop follows the focus").toEqual([-1, -1, 0]);
  });

  it("drops a row the core no longer lists when a batch names it", async () => {
    const core = installFakeCore({ orders: [order("A-1", { title: "Finished" }), order("A-2", { title: "Still open" })] });
    render(App, { refreshMs: NEVER });
    await screen.findByText("Finished");
    core.orders = [order("A-2", { title: "Still open" })];
    await emitChanges(ordersChanged("A-1"));
    await waitFor(() => expect(screen.queryByText("Finished"), "a completed order leaves the active list").toBeNull());
    expect(screen.getByText("Still open")).toBeTruthy();
  });

  it("moves the countdowns on the minute tick, and asks again only for the rows shown", async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    try {
      const core = installFakeCore({ orders: [order("A-1", { countdown: countdown("on_time", "1d left", 86_430) })] });
      render(App, { refreshMs: 60_000 });
      await screen.findByText("1d left");
      await waitFor(() => expect(core.count("order_page"), "the first rows, then the short list").toBe(2));
      // The core's answer on the tick is a minute later too (it moved the order on its clock).
      core.orders = [order("A-1", { countdown: countdown("due_soon", "23h 59m left", 86_370) })];
      await vi.advanceTimersByTimeAsync(60_000);
      await waitFor(() => expect(rowsShown()[0]?.countdown, "a minute later the text moves").toBe("23h 59m left"));
      expect(rowsShown()[0]?.state, "and its state with it").toBe("due_soon");
      expect(core.count("order_page"), "one page per tick").toBe(3);
      expect(core.pageArgs.at(-1), "the rows shown, not the whole list").toEqual({ offset: 0, limit: 300 });
    } finally {
      vi.useRealTimers();
    }
  });

  it("moves the countdowns on the minute tick even before the core answers", async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    try {
      const core = installFakeCore({ orders: [order("A-1", { countdown: countdown("on_time", "1d left", 86_430) })] });
      render(App, { refreshMs: 60_000 });
      await screen.findByText("1d left");
      await waitFor(() => expect(core.count("order_page")).toBe(2));
      core.orders = () => new Promise<OrderRow[]>(() => {}); // the tick's page never answers
      await vi.advanceTimersByTimeAsync(60_000);
      await waitFor(() => expect(rowsShown()[0]?.countdown, "the window's own rule moves it").toBe("23h 59m left"));
    } finally {
      vi.useRealTimers();
    }
  });

  it("stops listening and refreshing once the window is gone", async () => {
    const core = installFakeCore({ orders: [order("A-1")] });
    const view = render(App, { refreshMs: 20 });
    await screen.findByTestId("order-row");
    view.unmount();
    const fetched = core.count("order_page");
    await emitChanges(ordersChanged("A-1"));
    await new Promise((r) => setTimeout(r, 80));
    expect(core.count("order_page"), "an unmounted window must not fetch again").toBe(fetched);
  });

  it("keeps the rows and shows the error when a re-fetch fails", async () => {
    const core = installFakeCore({ orders: [order("A-1", { title: "Still here" })] });
    render(App, { refreshMs: NEVER });
    await screen.findByText("Still here");
    core.orders = () => Promise.reject({ code: "storage", message: "disk I/O error" });
    // A batch asks again for the rows shown: that fetch fails.
    await emitChanges(ordersChanged("A-1"));
    const alert = await screen.findByTestId("app-error");
    expect(alert.textContent, "the core's message must show").toContain("disk I/O error");
    expect(alert.dataset.code, "the error code must be kept").toBe("storage");
    expect(screen.getByText("Still here"), "saved rows must stay visible after a failed re-fetch").toBeTruthy();
  });
});

describe("header and startup", () => {
  it("names the marketplace and marks the demo marketplace", async () => {
    installFakeCore({ info: { ...DEMO_INFO, marketplace: "HostJane" }, orders: [] });
    render(App, { refreshMs: NEVER });
    await screen.findByTestId("empty-state");
    expect(screen.getByTestId("marketplace-name").textContent, "the marketplace's name must show").toBe("HostJane");
    expect(screen.getByTestId("demo-badge").textContent?.trim(), "demo mode must be visible").toBe("Demo marketplace");
  });

  it("shows no demo badge on a real account", async () => {
    installFakeCore({ info: { ...DEMO_INFO, demo: false }, orders: [] });
    render(App, { refreshMs: NEVER });
    await screen.findByTestId("empty-state");
    expect(screen.queryByTestId("demo-badge"), "a real account must not be labelled demo").toBeNull();
  });

  it("shows the startup error instead of the list, and asks for nothing more", async () => {
    const message = "This database was written by a newer sellerdesk (schema 999); it was left untouched.";
    const core = installFakeCore({
      info: { ...DEMO_INFO, startupError: { code: "newer_schema", message } },
      orders: [order("A-1")],
    });
    render(App, { refreshMs: NEVER });
    const screenEl = await screen.findByTestId("startup-error");
    expect(screenEl.textContent, "the core's message must show on the startup error screen").toContain(message);
    expect(screen.queryByTestId("order-list"), "no order list from a refused workspace").toBeNull();
    expect(screen.queryByTestId("sync-now"), "nothing to sync in a refused workspace").toBeNull();
    await new Promise((r) => setTimeout(r, 40));
    expect(core.calls.sort(), "only app_info and the first page (asked beside it) when the workspace did not open").toEqual(["app_info", "order_page"]);
  });

  it("shows a startup error when app_info itself fails", async () => {
    installFakeCore({ info: () => Promise.reject("IPC channel closed") });
    render(App, { refreshMs: NEVER });
    const el = await screen.findByTestId("startup-error");
    expect(el.textContent, "a failed app_info must be explained, not leave a spinner").toContain("IPC channel closed");
  });
});

describe("sync", () => {
  it("shows the failed state and message after a sync-status event", async () => {
    installFakeCore({ orders: [order("A-1")] });
    render(App, { refreshMs: NEVER });
    const line = await screen.findByTestId("sync-status");
    await waitFor(() => expect(line.dataset.state, "the initial sync_status must show").toBe("ok"));
    await emitSyncStatus({
      state: "failed",
      message: "Sync failed — retrying in 8 s: server error 500",
      lastSuccessAt: OK_SYNC.lastSuccessAt,
      nextRetrySecs: 8,
      accounts: [],
    });
    await waitFor(() => expect(line.dataset.state, "the event's state must reach the sync line").toBe("failed"));
    expect(line.textContent, "the failure and the retry must be spelled out").toContain("Sync failed — retrying in 8 s");
    expect(line.getAttribute("aria-live"), "sync changes must be announced").toBe("polite");
  });

  it("says offline and keeps the saved orders", async () => {
    installFakeCore({ orders: [order("A-1", { title: "Saved order" })] });
    render(App, { refreshMs: NEVER });
    await screen.findByText("Saved order");
    await emitSyncStatus({ state: "offline", message: "network unreachable", lastSuccessAt: OK_SYNC.lastSuccessAt, nextRetrySecs: 30, accounts: [] });
    const line = screen.getByTestId("sync-status");
    await waitFor(() => expect(line.dataset.state).toBe("offline"));
    expect(line.textContent, "offline must say the list is the saved one").toContain("Offline — showing saved orders");
    expect(screen.getByText("Saved order"), "saved orders stay visible offline").toBeTruthy();
  });

  it("names the account that is offline and why, while the others stay synced", async () => {
    installFakeCore({ orders: [order("A-1", { title: "Saved order" })] });
    render(App, { refreshMs: NEVER });
    await screen.findByText("Saved order");
    const ok = (accountId: string, label: string) => ({ accountId, label, state: "ok" as const, reason: "", lastSuccessAt: OK_SYNC.lastSuccessAt });
    await emitSyncStatus({
      state: "offline",
      message: "Shop B does not answer — 2 other account(s) synced; retrying in 30 s",
      lastSuccessAt: OK_SYNC.lastSuccessAt,
      nextRetrySecs: 30,
      accounts: [
        ok("a", "Shop A"),
        { accountId: "b", label: "Shop B", state: "offline", reason: "the marketplace does not answer", lastSuccessAt: null },
        ok("c", "Shop C"),
        { accountId: "d", label: "Shop D", state: "sign_in", reason: "the marketplace refused its token", lastSuccessAt: OK_SYNC.lastSuccessAt },
      ],
    });
    const line = screen.getByTestId("sync-status");
    await waitFor(() => expect(line.dataset.state).toBe("offline"));
    expect(line.textContent, "not a global Offline when other accounts synced").not.toContain("Offline — showing saved orders");
    expect(line.textContent).toContain("Shop B does not answer");
    const rows = screen.getAllByTestId("account-status");
    expect(
      rows.map((r) => [r.dataset.account, r.dataset.state]),
      "each troubled account is listed with its own state, the synced ones are not",
    ).toEqual([
      ["b", "offline"],
      ["d", "sign_in"],
    ]);
    const [b, d] = rows as [HTMLElement, HTMLElement];
    expect(b.textContent).toContain("Shop B: offline — the marketplace does not answer");
    expect(b.title, "the tooltip says it never synced").toContain("never synced");
    expect(d.textContent).toContain("Shop D: sign in again — the marketplace refused its token");
    expect(screen.getByTestId("account-statuses").textContent).toContain("2 other accounts synced");

    await emitSyncStatus({ ...OK_SYNC, accounts: [ok("a", "Shop A"), ok("b", "Shop B"), ok("c", "Shop C"), ok("d", "Shop D")] });
    await waitFor(() => expect(line.dataset.state).toBe("ok"));
    expect(screen.queryAllByTestId("account-status"), "a recovered account clears its line").toHaveLength(0);
  });

  it("calls sync_now from the Sync now button and shows the answer", async () => {
    const pending = deferred<typeof OK_SYNC>();
    const core = installFakeCore({ orders: [order("A-1")], syncNow: () => pending.promise });
    render(App, { refreshMs: NEVER });
    const button = await screen.findByRole("button", { name: "Sync now" });
    await fireEvent.click(button);
    expect(core.count("sync_now"), "the button must call sync_now once").toBe(1);
    await waitFor(() => expect((button as HTMLButtonElement).disabled, "no second sync while one runs").toBe(true));
    await fireEvent.click(button);
    expect(core.count("sync_now"), "a disabled button must not call sync_now again").toBe(1);
    pending.resolve({ ...OK_SYNC, message: "Synced 25 orders" });
    await waitFor(() =>
      expect(screen.getByTestId("sync-status").textContent, "the status sync_now returns must show").toContain("Synced 25 orders"),
    );
    expect((button as HTMLButtonElement).disabled, "the button must come back after the sync").toBe(false);
  });

  it("shows why Sync now failed", async () => {
    installFakeCore({ orders: [order("A-1")], syncNow: () => Promise.reject({ code: "offline", message: "No network connection" }) });
    render(App, { refreshMs: NEVER });
    await fireEvent.click(await screen.findByRole("button", { name: "Sync now" }));
    const alert = await screen.findByTestId("app-error");
    expect(alert.textContent, "the core's message must show").toContain("No network connection");
    expect(alert.dataset.code).toBe("offline");
  });
});

describe("badge", () => {
  it("shows how many items wait for an answer and follows the core's count", async () => {
    installFakeCore({ orders: [order("D-1003", { status: "awaiting_acceptance" })], more: { needs_response_count: 2 } });
    render(App, { refreshMs: 3_600_000 });
    const badge = await screen.findByTestId("needs-response");
    expect(badge.textContent).toBe("2 to answer");
    await emit("needs-response", 1);
    await waitFor(() => expect(screen.getByTestId("needs-response").dataset.count).toBe("1"));
    await emit("needs-response", 0);
    await waitFor(() => expect(screen.queryByTestId("needs-response")).toBeNull());
  });
});

describe("long lists", () => {
  it("holds and renders only the rows near the screen, asking for the page there as it scrolls", async () => {
    const many = Array.from({ length: 5_000 }, (_, i) => order(`B-${String(i).padStart(5, "0")}`));
    const core = installFakeCore({ orders: many });
    render(App, { refreshMs: NEVER });
    await waitFor(() => expect(screen.getByTestId("order-list").dataset.total, "the size comes with the first page").toBe("5000"));
    const rows = screen.getAllByTestId("order-row");
    expect(rows.length, "a window of rows, not 5,000").toBeLessThan(200);
    expect(rows[0]?.getAttribute("aria-setsize")).toBe("5000");
    expect(rows[0]?.dataset.orderId).toBe("B-00000");
    const list = screen.getByTestId("order-list");
    expect(parseInt(list.style.paddingBottom, 10), "the rest of the list keeps its height").toBeGreaterThan(4_000 * 62);
    expect(Math.max(...core.pageArgs.map((p) => p.limit)), "never more than a page asked").toBeLessThan(400);

    // Scrolled to row 3,000: its page is asked for, and its rows render in place.
    Object.defineProperty(window, "scrollY", { value: 3_000 * 62, configurable: true });
    window.dispatchEvent(new Event("scroll"));
    await waitFor(() => expect(screen.getAllByTestId("order-row").some((r) => r.dataset.orderId === "B-03000")).toBe(true));
    const asked = core.pageArgs.at(-1)!;
    expect(asked.offset, "the page around the screen").toBeGreaterThan(2_800);
    expect(asked.offset + asked.limit).toBeLessThan(3_200);
    const shown = screen.getAllByTestId("order-row");
    expect(shown.length).toBeLessThan(200);
    expect(shown[0]?.getAttribute("aria-posinset"), "rows keep their place in the whole list").toBe(String(Number(shown[0]?.dataset.orderId?.slice(2)) + 1));
    Object.defineProperty(window, "scrollY", { value: 0, configurable: true });
  });
});
