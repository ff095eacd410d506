// The order panel a seller can trust: what costs money asks first (and sends exactly one
// action, or none when the seller goes back), a revision request shows the buyer's words
// and leads to modified work, unsent chat text survives switching orders, Escape closes
// the panel and gives focus back, and every action's outcome shows.
import { fireEvent, render, screen, waitFor, within } from "@testing-library/svelte";
import { afterEach, describe, expect, it } from "vitest";
import App from "./App.svelte";
import OrderDetailPanel from "./components/OrderDetailPanel.svelte";
import type { ActionView, OrderDetail, SellerAction } from "./lib/bindings";
import { clearChatDrafts } from "./lib/chatDrafts";
import { toast } from "./lib/toast.svelte";
import { installFakeCore } from "./test/fakeCore";
import { DETAIL, ROW } from "./test/fixtures";

const NEVER = 3_600_000;
const ok = (id: ActionView["id"], label: string): ActionView => ({ id, label, allowed: true, reason: null });

const NEW_ORDER: OrderDetail = {
  ...DETAIL,
  row: { ...ROW, status: "awaiting_acceptance", statusLabel: "Awaiting acceptance" },
  requests: [],
  actions: [ok("accept", "Accept order"), ok("decline", "Decline order")],
};

/** The panel alone, recording the actions it asks for. */
function panel(detail: OrderDetail, extra: Record<string, unknown> = {}) {
  const acts: SellerAction[] = [];
  const closed: number[] = [];
  const view = render(OrderDetailPanel, {
    detail,
    onAct: (a: SellerAction) => void acts.push(a),
    onClose: () => closed.push(1),
    ...extra,
  });
  return { acts, closed, view };
}

const actionEl = (id: string) => {
  const el = screen.getAllByTestId("detail-action").find((a) => a.dataset.action === id);
  if (!el) throw new Error(`no action ${id}`);
  return el;
};

afterEach(() => {
  clearChatDrafts();
  toast.dismiss();
});

describe("confirmations", () => {
  it("declining an order asks first; going back sends nothing and gives focus back", async () => {
    installFakeCore();
    const { acts } = panel(NEW_ORDER);
    const accept = within(actionEl("accept")).getByRole("button");
    const decline = within(actionEl("decline")).getByRole("button");
    expect(accept.className, "Accept is the primary button").toContain("primary");
    expect(decline.className, "Decline looks destructive, not like Accept").toContain("danger");
    decline.focus();
    await fireEvent.click(decline);
    const dialog = await screen.findByRole("alertdialog");
    expect(dialog.getAttribute("aria-modal")).toBe("true");
    expect(within(dialog).getByTestId("confirm-cost").textContent).toContain("$145.00");
    await waitFor(() => expect(document.activeElement, "focus moves into the dialog, on the safe choice").toBe(within(dialog).getByTestId("confirm-no")));
    await fireEvent.keyDown(dialog, { key: "Escape" });
    await waitFor(() => expect(screen.queryByRole("alertdialog")).toBeNull());
    expect(acts, "going back sends nothing").toEqual([]);
    expect(document.activeElement, "focus returns to Decline").toBe(decline);
    expect(screen.getByTestId("order-detail"), "Escape in the dialog does not close the panel").toBeTruthy();

    await fireEvent.click(decline);
    await fireEvent.click(within(await screen.findByRole("alertdialog")).getByTestId("confirm-no"));
    expect(acts, "Keep the order sends nothing").toEqual([]);
  });

  it("confirming sends exactly one action", async () => {
    installFakeCore();
    const { acts } = panel(NEW_ORDER);
    await fireEvent.click(within(actionEl("decline")).getByRole("button"));
    await fireEvent.click(within(await screen.findByRole("alertdialog")).getByTestId("confirm-yes"));
    await waitFor(() => expect(acts).toEqual([{ kind: "decline" }]));
    expect(screen.queryByRole("alertdialog")).toBeNull();
  });

  it("keeps Tab inside the dialog", async () => {
    installFakeCore();
    panel(NEW_ORDER);
    await fireEvent.click(within(actionEl("decline")).getByRole("button"));
    const dialog = await screen.findByRole("alertdialog");
    const yes = within(dialog).getByTestId("confirm-yes");
    const no = within(dialog).getByTestId("confirm-no");
    yes.focus();
    await fireEvent.keyDown(yes, { key: "Tab" });
    expect(document.activeElement, "Tab from the last button wraps to the first").toBe(no);
    await fireEvent.keyDown(no, { key: "Tab", shiftKey: true });
    expect(document.activeElement, "Shift+Tab from the first wraps to the last").toBe(yes);
  });

  it("accepting a buyer's cancel request shows the price lost and asks first", async () => {
    installFakeCore();
    const cancelAsked: OrderDetail = {
      ...DETAIL,
      requests: [{ ...DETAIL.requests[0]!, id: "R9", kind: "cancel", kindLabel: "Cancel the order", message: "Project on hold" }],
    };
    const { acts } = panel(cancelAsked);
    await fireEvent.click(screen.getByTestId("request-accept"));
    const dialog = await screen.findByRole("alertdialog");
    expect(within(dialog).getByTestId("confirm-cost").textContent).toBe("You lose $145.00.");
    await fireEvent.click(within(dialog).getByTestId("confirm-yes"));
    await waitFor(() => expect(acts).toEqual([{ kind: "accept_request", requestId: "R9" }]));
  });

  it("a change-of-time request is accepted at once (it costs nothing)", async () => {
    installFakeCore();
    const { acts } = panel(DETAIL);
    await fireEvent.click(screen.getByTestId("request-accept"));
    expect(screen.queryByRole("alertdialog")).toBeNull();
    expect(acts).toEqual([{ kind: "accept_request", requestId: "D-1001-R1" }]);
  });
});

describe("next step", () => {
  it("a revision request shows the buyer's words and leads to Deliver modified work", async () => {
    installFakeCore({ more: { load_draft: null } });
    const revision: OrderDetail = {
      ...DETAIL,
      row: { ...ROW, status: "revision_requested", statusLabel: "Revision requested" },
      requests: [],
      actions: [ok("deliver_modified", "Deliver modified work"), { id: "deliver", label: "Deliver now", allowed: false, reason: "cannot deliver an order that is revision requested" }],
      messages: [
        ...DETAIL.messages,
        { id: "M2", from: "buyer", text: "Please make the cup logo bigger.", sentAt: Date.UTC(2026, 10, 21), pending: false },
      ],
    };
    panel(revision, { onDeliver: () => Promise.resolve() });
    expect(screen.getByTestId("revision-words").textContent).toBe("“Please make the cup logo bigger.”");
    const primary = actionEl("deliver_modified");
    expect(primary.dataset.role).toBe("primary");
    await fireEvent.click(within(primary).getByRole("button"));
    expect((await screen.findByTestId("delivery-composer")).dataset.modified).toBe("true");
  });

  it("shows the outcome of an action: sent, then applied", async () => {
    installFakeCore();
    const { view } = panel(NEW_ORDER, {
      onAct: async () => {
        await view.rerender({ detail: { ...NEW_ORDER, outbox: [{ seq: 3, kind: "accept", label: "Accept order", state: "pending", error: null, text: null }] } });
      },
    });
    await fireEvent.click(within(actionEl("accept")).getByRole("button"));
    await waitFor(() => expect(screen.getByTestId("action-outcome").textContent).toBe("Sent — waiting for the marketplace"));
    expect(toast.current?.text).toBe("Order accepted — waiting for the marketplace");
    await view.rerender({ detail: { ...NEW_ORDER, row: { ...NEW_ORDER.row, status: "accepted" }, actions: [ok("deliver", "Deliver now")] } });
    await waitFor(() => expect(screen.getByTestId("action-outcome").textContent).toBe("Applied"));
    expect(toast.current?.text).toBe("Applied by the marketplace");
  });
});

describe("chat draft", () => {
  it("keeps unsent text per order when switching orders", async () => {
    installFakeCore();
    const other: OrderDetail = { ...DETAIL, row: { ...ROW, id: "D-2002" }, messages: [] };
    const { view } = panel(DETAIL);
    await fireEvent.input(screen.getByTestId("chat-input"), { target: { value: "Half done, draft tonight" } });
    await view.rerender({ detail: other });
    expect((screen.getByTestId("chat-input") as HTMLTextAreaElement).value, "another order has its own box").toBe("");
    await view.rerender({ detail: DETAIL });
    expect((screen.getByTestId("chat-input") as HTMLTextAreaElement).value).toBe("Half done, draft tonight");
    view.unmount();
    panel(DETAIL);
    expect((screen.getByTestId("chat-input") as HTMLTextAreaElement).value, "and survives the panel closing").toBe("Half done, draft tonight");
  });
});

describe("keyboard", () => {
  it("moves focus into the panel, and Escape closes it and gives focus back to the row", async () => {
    installFakeCore({ orders: [ROW], detail: DETAIL });
    render(App, { refreshMs: NEVER });
    const row = await screen.findByTestId("order-title");
    row.focus();
    await fireEvent.click(row);
    const heading = await screen.findByTestId("detail-title");
    await waitFor(() => expect(document.activeElement, "focus moves to the panel's heading").toBe(heading));
    await fireEvent.keyDown(heading, { key: "Escape" });
    await waitFor(() => expect(screen.queryByTestId("order-detail")).toBeNull());
    await waitFor(() => expect(document.activeElement, "focus returns to the row").toBe(screen.getByTestId("order-title")));
  });

  it("Escape in the More actions menu closes the menu, not the panel", async () => {
    installFakeCore();
    const { closed } = panel({ ...DETAIL, requests: [], actions: [ok("deliver", "Deliver now"), ok("open_request:cancel", "Ask to cancel")] });
    const toggle = screen.getByTestId("more-actions");
    await fireEvent.click(toggle);
    expect(toggle.getAttribute("aria-expanded")).toBe("true");
    const item = within(actionEl("open_request:cancel")).getByRole("button");
    await fireEvent.keyDown(item, { key: "Escape" });
    expect(toggle.getAttribute("aria-expanded")).toBe("false");
    expect(closed, "the panel stays open").toEqual([]);
    await fireEvent.keyDown(document.body, { key: "Escape" });
    expect(closed, "a second Escape closes the panel").toEqual([1]);
  });
});

describe("disputes", () => {
  it("opens a dispute under the marketplace's own words only after a reason is given", async () => {
    installFakeCore();
    const { acts } = panel({ ...DETAIL, requests: [], actions: [ok("deliver", "Deliver now"), ok("open_dispute", "Dispute Order")] });
    await fireEvent.click(screen.getByTestId("more-actions"));
    const item = within(actionEl("open_dispute")).getByRole("button");
    expect(item.textContent).toBe("Dispute Order");
    await fireEvent.click(item);
    const dialog = await screen.findByTestId("confirm-dialog");
    expect(dialog.textContent).toContain("support");
    await fireEvent.click(within(dialog).getByTestId("confirm-no"));
    expect(acts, "going back sends nothing").toEqual([]);

    await fireEvent.click(screen.getByTestId("more-actions"));
    await fireEvent.click(within(actionEl("open_dispute")).getByRole("button"));
    await fireEvent.input(await screen.findByTestId("confirm-reason"), { target: { value: "No answer for a week" } });
    await fireEvent.click(screen.getByTestId("confirm-yes"));
    await waitFor(() => expect(acts).toEqual([{ kind: "open_dispute", text: "No answer for a week" }]));
  });
});
