// Automated accessibility check (axe-core) over the main screens as rendered — the order
// list with an account offline, the order panel, the alert inbox, the confirmation
// dialog and Settings (accounts with the connection test, exports, business details):
// any serious or critical violation fails. jsdom does no
// layout or painting, so axe's colour-contrast rule cannot work here and is switched off
// (contrast is left to the palette in app.css and to checks in the real window).
import { fireEvent, render, screen, waitFor } from "@testing-library/svelte";
import axe from "axe-core";
import { describe, expect, it } from "vitest";
import App from "./App.svelte";
import AlertInbox from "./components/AlertInbox.svelte";
import OrderDetailPanel from "./components/OrderDetailPanel.svelte";
import type { InboxAlert, OrderDetail } from "./lib/bindings";
import { emitSyncStatus, installFakeCore, OK_SYNC, order } from "./test/fakeCore";
import { DETAIL, ROW } from "./test/fixtures";

// axe probes a canvas for icon fonts; jsdom has none: answer "no canvas" quietly.
HTMLCanvasElement.prototype.getContext = (() => null) as typeof HTMLCanvasElement.prototype.getContext;

async function seriousViolations(root: Element): Promise<string[]> {
  const results = await axe.run(root, {
    rules: { "color-contrast": { enabled: false } },
    resultTypes: ["violations"],
  });
  return results.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
}

const FULL: OrderDetail = {
  ...DETAIL,
  row: { ...ROW, status: "awaiting_acceptance", statusLabel: "Awaiting acceptance" },
  actions: [
    { id: "accept", label: "Accept order", allowed: true, reason: null },
    { id: "decline", label: "Decline order", allowed: true, reason: null },
    { id: "open_request:change_order_time", label: "Change order time", allowed: true, reason: null },
    { id: "deliver", label: "Deliver now", allowed: false, reason: "cannot deliver an order that is awaiting acceptance" },
  ],
  review: { rating: 5, text: "Great!", reply: null, canReply: true },
  outbox: [{ seq: 2, kind: "send_message", label: "Message", state: "failed", error: "phone numbers are not allowed", text: "call me" }],
};

describe("accessibility (axe-core, serious and critical)", () => {
  it("the check itself catches a serious violation", async () => {
    const root = document.createElement("div");
    root.innerHTML = `<button type="button"></button><img src="x.png">`;
    document.body.append(root);
    expect((await seriousViolations(root)).map((v) => v.split(" ")[0])).toEqual(["button-name", "image-alt"]);
    root.remove();
  });

  it("the order panel with its menu open", async () => {
    installFakeCore();
    const { container } = render(OrderDetailPanel, { detail: FULL, onClose: () => undefined });
    await fireEvent.click(screen.getByTestId("more-actions"));
    expect(await seriousViolations(container)).toEqual([]);
  });

  it("the confirmation dialog, with a reason field", async () => {
    installFakeCore();
    const { container } = render(OrderDetailPanel, {
      detail: { ...FULL, actions: [{ id: "cancel", label: "Cancel order", allowed: true, reason: null }] },
      onClose: () => undefined,
    });
    await fireEvent.click(screen.getByTestId("more-actions"));
    await fireEvent.click(screen.getByText("Cancel order…"));
    await screen.findByRole("alertdialog");
    await fireEvent.click(screen.getByTestId("confirm-yes"));
    await screen.findByText("Give a reason first.");
    expect(await seriousViolations(container)).toEqual([]);
  });

  it("the alert inbox, open", async () => {
    installFakeCore();
    const at = Date.now() + 3_600_000;
    const alerts: InboxAlert[] = [
      { key: "k1", kind: "request_expiring", accountId: "a", orderId: "D-1", requestId: "R1", at, title: "t", body: "Answer it", actions: [] },
      { key: "k2", kind: "new_order", accountId: "a", orderId: "D-2", requestId: null, at: Date.now(), title: "t", body: "Logo", actions: [] },
    ];
    const { container } = render(AlertInbox, { loadLive: () => Promise.resolve({ alerts, total: alerts.length }) });
    await fireEvent.click(screen.getByTestId("inbox-bell"));
    await waitFor(() => expect(screen.getAllByTestId("inbox-item")).toHaveLength(2));
    expect(await seriousViolations(container)).toEqual([]);
  });

  it("the order list, with one account offline", async () => {
    installFakeCore({ orders: [order("D-1", { title: "Logo" }), order("D-2", { title: "Subtitles", deadline: "request" })] });
    const { container } = render(App, { refreshMs: 3_600_000 });
    await screen.findByText("Subtitles");
    await emitSyncStatus({
      ...OK_SYNC,
      state: "offline",
      message: "Shop B does not answer — 1 other account(s) synced",
      accounts: [
        { accountId: "a", label: "Shop A", state: "ok", reason: "", lastSuccessAt: OK_SYNC.lastSuccessAt },
        { accountId: "b", label: "Shop B", state: "offline", reason: "the marketplace does not answer", lastSuccessAt: null },
      ],
    });
    await screen.findByTestId("account-statuses");
    expect(await seriousViolations(container)).toEqual([]);
  });

  it("Settings: accounts with a failed connection test, exports, business details", async () => {
    installFakeCore({
      orders: [order("D-1")],
      more: {
        alert_settings: { requestExpiringHours: [24], deliveryDueHours: [24], autoCompletingHours: 24, off: [], quietHours: null, mutedAccounts: [] },
        list_accounts: [],
        marketplaces: [{ id: "fiverr", name: "Fiverr" }],
        test_connection: () => Promise.reject({ code: "auth_expired", message: "the marketplace refused this token" }),
        start_at_login: false,
        business_profile: { name: "", addressLines: [], taxId: "" },
        export_folder: "/home/ana/Documents/sellerdesk",
      },
    });
    const { container } = render(App, { refreshMs: 3_600_000 });
    await fireEvent.click(await screen.findByTestId("tab-settings"));
    await fireEvent.input(await screen.findByTestId("account-url"), { target: { value: "https://api.example" } });
    await fireEvent.input(screen.getByTestId("account-token"), { target: { value: "t" } });
    await fireEvent.click(screen.getByTestId("account-test"));
    await waitFor(() => expect(screen.getByTestId("account-test-result").dataset.ok).toBe("false"));
    await waitFor(() => expect(screen.getByTestId("export-folder").textContent).toContain("sellerdesk"));
    expect(await seriousViolations(container)).toEqual([]);
  });
});
