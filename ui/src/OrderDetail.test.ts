// The order detail and earnings views over the fake core: what a click on an order
// shows (breakdown, forecast, requests, actions with the rules' reasons) and the
// weekly earnings chart.
import { fireEvent, render, screen, waitFor, within } from "@testing-library/svelte";
import { describe, expect, it } from "vitest";
import App from "./App.svelte";
import type { EarningsView, OrderDetail } from "./lib/bindings";
import { emit } from "@tauri-apps/api/event";
import { installFakeCore } from "./test/fakeCore";
import { DETAIL, ROW } from "./test/fixtures";

const NEVER = 3_600_000;

const EARNINGS: EarningsView = {
  currency: "USD",
  weeks: [
    { startsOn: "2026-11-16", pendingMinor: 0, clearingMinor: 5_600, availableMinor: 2_000, totalLabel: "$76.00" },
    { startsOn: "2026-11-23", pendingMinor: 11_600, clearingMinor: 0, availableMinor: 0, totalLabel: "$116.00" },
  ],
  months: [
    { startsOn: "2026-10-01", pendingMinor: 0, clearingMinor: 0, availableMinor: 2_000, totalLabel: "$20.00" },
    { startsOn: "2026-11-01", pendingMinor: 11_600, clearingMinor: 5_600, availableMinor: 0, totalLabel: "$172.00" },
  ],
  pendingLabel: "$116.00",
  clearingLabel: "$56.00",
  availableLabel: "$20.00",
  orderCount: 3,
  otherCurrencyOrders: 0,
};

describe("order detail", () => {
  it("opens on a click and shows the breakdown, forecast, requests and actions", async () => {
    const core = installFakeCore({ orders: [ROW], detail: DETAIL });
    render(App, { refreshMs: NEVER });
    await fireEvent.click(await screen.findByTestId("order-title"));

    const panel = await screen.findByTestId("order-detail");
    expect(core.detailArgs).toEqual([{ accountId: "acct-7", orderId: "D-1001" }]);
    const lines = within(panel)
      .getAllByTestId("detail-line")
      .map((l) => Array.from(l.querySelectorAll("td")).map((td) => td.textContent?.trim()));
    expect(lines).toEqual([
      ["Base package", "$120.00"],
      ["Source files", "$25.00"],
    ]);
    expect(within(panel).getByTestId("detail-fee").textContent).toBe("-$29.00");
    expect(within(panel).getByTestId("detail-net").textContent).toBe("$116.00");
    expect(within(panel).getByTestId("detail-forecast").textContent).toContain("14 days");
    expect(within(panel).getByTestId("request-time-left").textContent).toContain("7h 59m left");

    const action = (id: string) => {
      const el = within(panel).getAllByTestId("detail-action").find((a) => a.dataset.action === id);
      if (!el) throw new Error(`no action ${id}`);
      return el;
    };
    const deliver = action("deliver");
    const cancel = action("open_request:cancel");
    expect(deliver.dataset.allowed, "the rules allow delivering an order in progress").toBe("true");
    expect(deliver.dataset.role, "delivering is an order in progress' next step").toBe("primary");
    expect(within(cancel).queryByRole("button"), "a blocked action is no disabled button").toBeNull();
    expect(cancel.dataset.allowed).toBe("false");
    expect(within(panel).getByTestId("why-not").textContent, "its reason is under Why can't I…?").toContain(
      "an order request is already pending",
    );

    await fireEvent.click(within(panel).getByTestId("detail-close"));
    await waitFor(() => expect(screen.queryByTestId("order-detail")).toBeNull());
  });

  it("shows the core's error instead of a panel when the detail cannot load", async () => {
    installFakeCore({
      orders: [ROW],
      detail: () => Promise.reject({ code: "offline", message: "the marketplace's rules are not synced yet" }),
    });
    render(App, { refreshMs: NEVER });
    await fireEvent.click(await screen.findByTestId("order-title"));
    expect((await screen.findByTestId("view-error")).textContent).toContain("not synced yet");
    expect(screen.queryByTestId("order-detail")).toBeNull();
  });
});

describe("acting on an order", () => {
  it("answers a request through the outbox and shows it waiting to sync", async () => {
    const pending: OrderDetail = {
      ...DETAIL,
      outbox: [{ seq: 7, kind: "accept_request", label: "Accept request D-1001-R1", state: "pending", error: null, text: null }],
    };
    const core = installFakeCore({ orders: [ROW], detail: DETAIL, afterAction: pending });
    render(App, { refreshMs: NEVER });
    await fireEvent.click(await screen.findByTestId("order-title"));
    await fireEvent.click(await screen.findByTestId("request-accept"));
    await waitFor(() => expect(screen.getAllByTestId("outbox-item")).toHaveLength(1));
    expect(core.actionArgs).toEqual([
      {
        accountId: "acct-7",
        orderId: "D-1001",
        action: { kind: "accept_request", requestId: "D-1001-R1" },
      },
    ]);
    expect(screen.getByTestId("outbox-item").textContent).toContain("waiting to sync");
    expect(screen.getByTestId("request-accept").hasAttribute("disabled")).toBe(true);
  });

  it("shows a refused action with the marketplace's reason", async () => {
    const refused: OrderDetail = {
      ...DETAIL,
      outbox: [{ seq: 8, kind: "accept", label: "Accept order", state: "failed", error: "cannot accept an order that is in progress", text: null }],
    };
    installFakeCore({ orders: [ROW], detail: refused });
    render(App, { refreshMs: NEVER });
    await fireEvent.click(await screen.findByTestId("order-title"));
    const item = await screen.findByTestId("outbox-item");
    expect(item.dataset.state).toBe("failed");
    expect(item.textContent).toContain("cannot accept an order that is in progress");
  });
});

describe("order requests of the seller", () => {
  it("opens a change of order time with the new date and a message", async () => {
    const free: OrderDetail = {
      ...DETAIL,
      requests: [],
      actions: [{ id: "open_request:change_order_time", label: "Change order time", allowed: true, reason: null }],
    };
    const core = installFakeCore({ orders: [ROW], detail: free, afterAction: free });
    render(App, { refreshMs: NEVER });
    await fireEvent.click(await screen.findByTestId("order-title"));
    await fireEvent.click(await screen.findByTestId("more-actions"));
    const action = screen.getAllByTestId("detail-action").find((a) => a.dataset.action === "open_request:change_order_time");
    await fireEvent.click(within(action as HTMLElement).getByRole("button"));
    const form = await screen.findByTestId("open-request");
    expect(form.dataset.kind).toBe("change_order_time");
    const send = within(form).getByTestId("open-request-send") as HTMLButtonElement;
    expect(send.disabled, "a date is needed").toBe(true);
    await fireEvent.input(within(form).getByTestId("open-request-due"), { target: { value: "2026-11-20T10:00" } });
    expect(within(form).getByTestId("open-request-blocker").textContent, "earlier than the due date").toContain("later");
    await fireEvent.input(within(form).getByTestId("open-request-due"), { target: { value: "2026-11-27T16:30" } });
    await fireEvent.input(within(form).getByTestId("open-request-message"), { target: { value: "Three more days, please." } });
    await fireEvent.click(send);
    await waitFor(() => expect(core.actionArgs).toHaveLength(1));
    expect(core.actionArgs[0]).toEqual({
      accountId: "acct-7",
      orderId: "D-1001",
      action: {
        kind: "open_request",
        text: "Three more days, please.",
        requestKind: "change_order_time",
        proposedDueMs: new Date("2026-11-27T16:30").getTime(),
      },
    });
    expect(screen.queryByTestId("open-request"), "the form closes once queued").toBeNull();
  });

  it("cancels a late order alone where the rules allow it, once confirmed with a reason", async () => {
    const late: OrderDetail = {
      ...DETAIL,
      requests: [],
      actions: [{ id: "cancel", label: "Cancel order", allowed: true, reason: null }],
    };
    const core = installFakeCore({ orders: [ROW], detail: late, afterAction: late });
    render(App, { refreshMs: NEVER });
    await fireEvent.click(await screen.findByTestId("order-title"));
    await fireEvent.click(await screen.findByTestId("more-actions"));
    const action = screen.getAllByTestId("detail-action").find((a) => a.dataset.action === "cancel");
    await fireEvent.click(within(action as HTMLElement).getByRole("button"));
    const dialog = await screen.findByTestId("confirm-dialog");
    expect(within(dialog).getByTestId("confirm-cost").textContent, "the dialog says what is lost").toContain("$145.00");
    await fireEvent.click(within(dialog).getByTestId("confirm-yes"));
    expect(within(dialog).getByRole("alert").textContent, "a reason is needed").toContain("reason");
    expect(core.actionArgs, "nothing is sent without a reason").toEqual([]);
    await fireEvent.input(within(dialog).getByTestId("confirm-reason"), { target: { value: "No answer for a week." } });
    await fireEvent.click(within(dialog).getByTestId("confirm-yes"));
    await waitFor(() =>
      expect(core.actionArgs).toEqual([
        { accountId: "acct-7", orderId: "D-1001", action: { kind: "cancel", text: "No answer for a week." } },
      ]),
    );
    expect(screen.queryByTestId("confirm-dialog"), "the dialog closes once confirmed").toBeNull();
  });

  it("answers the buyer's progress-update request with the progress made", async () => {
    const asked: OrderDetail = {
      ...DETAIL,
      requests: [{ ...DETAIL.requests[0]!, id: "D-1001-R2", kind: "progress_update", kindLabel: "Progress update" }],
    };
    const core = installFakeCore({ orders: [ROW], detail: asked, afterAction: asked });
    render(App, { refreshMs: NEVER });
    await fireEvent.click(await screen.findByTestId("order-title"));
    await screen.findByTestId("progress-text");
    expect(screen.queryByTestId("request-accept"), "a progress request is answered with words").toBeNull();
    await fireEvent.input(screen.getByTestId("progress-text"), { target: { value: "Half the pages are done." } });
    await fireEvent.click(screen.getByTestId("progress-send"));
    await waitFor(() =>
      expect(core.actionArgs).toEqual([
        { accountId: "acct-7", orderId: "D-1001", action: { kind: "provide_progress", requestId: "D-1001-R2", text: "Half the pages are done." } },
      ]),
    );
  });
});

describe("order chat", () => {
  it("shows the conversation and sends a message through the outbox, shown pending at once", async () => {
    const sent: OrderDetail = {
      ...DETAIL,
      messages: [
        ...DETAIL.messages,
        { id: "outbox-9", from: "seller", text: "Yes, a light version too.", sentAt: Date.UTC(2026, 10, 20, 10, 0), pending: true },
      ],
      outbox: [{ seq: 9, kind: "send_message", label: "Message “Yes, a light version too.”", state: "pending", error: null, text: "Yes, a light version too." }],
    };
    const core = installFakeCore({ orders: [ROW], detail: DETAIL, afterAction: sent });
    render(App, { refreshMs: NEVER });
    await fireEvent.click(await screen.findByTestId("order-title"));
    const chat = await screen.findByTestId("chat");
    expect(within(chat).getAllByTestId("chat-message").map((m) => [m.dataset.from, m.querySelector("p")?.textContent])).toEqual([
      ["buyer", "Could it work on black cups too?"],
    ]);
    const send = within(chat).getByTestId("chat-send") as HTMLButtonElement;
    expect(send.disabled, "nothing to send yet").toBe(true);
    await fireEvent.input(within(chat).getByTestId("chat-input"), { target: { value: "  Yes, a light version too. " } });
    await fireEvent.click(send);
    await waitFor(() => expect(within(chat).getAllByTestId("chat-message")).toHaveLength(2));
    expect(core.actionArgs).toEqual([
      { accountId: "acct-7", orderId: "D-1001", action: { kind: "send_message", text: "Yes, a light version too." } },
    ]);
    const mine = within(chat).getAllByTestId("chat-message")[1] as HTMLElement;
    expect(mine.dataset.pending).toBe("true");
    expect(mine.textContent).toContain("sending when online");
    expect((within(chat).getByTestId("chat-input") as HTMLTextAreaElement).value, "the box is emptied").toBe("");
  });

  it("puts a refused message back in the box to edit and send again", async () => {
    const refused: OrderDetail = {
      ...DETAIL,
      outbox: [{ seq: 4, kind: "send_message", label: "Message “Call me at…”", state: "failed", error: "phone numbers are not allowed", text: "Call me at +1 555 0100" }],
    };
    const core = installFakeCore({ orders: [ROW], detail: refused, more: { dismiss_action: DETAIL } });
    render(App, { refreshMs: NEVER });
    await fireEvent.click(await screen.findByTestId("order-title"));
    const item = await screen.findByTestId("outbox-item");
    expect(item.textContent).toContain("phone numbers are not allowed");
    await fireEvent.click(within(item).getByTestId("outbox-edit"));
    expect((screen.getByTestId("chat-input") as HTMLTextAreaElement).value).toBe("Call me at +1 555 0100");
    await waitFor(() => expect(core.moreArgs.map((c) => [c.cmd, c.args])).toEqual([["dismiss_action", { accountId: "acct-7", orderId: "D-1001", seq: 4 }]]));
  });
});

describe("replying to a review", () => {
  it("sends the reply once through the outbox", async () => {
    const reviewed: OrderDetail = {
      ...DETAIL,
      review: { rating: 5, text: "Great logo!", reply: null, canReply: true },
    };
    const core = installFakeCore({ orders: [ROW], detail: reviewed, afterAction: reviewed });
    render(App, { refreshMs: NEVER });
    await fireEvent.click(await screen.findByTestId("order-title"));
    const send = await screen.findByTestId("review-reply-send");
    expect(send.hasAttribute("disabled"), "nothing to send yet").toBe(true);
    await fireEvent.input(screen.getByTestId("review-reply-text"), { target: { value: "Thank you, Zoë!" } });
    await fireEvent.click(send);
    await waitFor(() => expect(core.actionArgs).toHaveLength(1));
    expect(core.actionArgs[0]).toEqual({
      accountId: "acct-7",
      orderId: "D-1001",
      action: { kind: "reply_to_review", text: "Thank you, Zoë!" },
    });
  });

  it("shows the reply instead of the form once answered", async () => {
    const answered: OrderDetail = {
      ...DETAIL,
      review: { rating: 4, text: "Good", reply: "Thanks!", canReply: false },
    };
    installFakeCore({ orders: [ROW], detail: answered });
    render(App, { refreshMs: NEVER });
    await fireEvent.click(await screen.findByTestId("order-title"));
    expect((await screen.findByTestId("review-reply")).textContent).toContain("Thanks!");
    expect(screen.queryByTestId("review-reply-text")).toBeNull();
  });
});

describe("earnings", () => {
  it("shows one marketplace account's earnings when the seller picks it", async () => {
    const ACCOUNT = { connected: true, tokenHome: null, baseUrl: "http://127.0.0.1:1" };
    const core = installFakeCore({
      orders: [ROW],
      earnings: EARNINGS,
      more: {
        list_accounts: [
          { ...ACCOUNT, id: "demo", label: "Demo marketplace", marketplace: "Fiverr-like" },
          { ...ACCOUNT, id: "hj-1", label: "HostJane shop", marketplace: "HostJane" },
        ],
      },
    });
    render(App, { refreshMs: NEVER });
    await fireEvent.click(await screen.findByTestId("tab-earnings"));
    const pick = (await screen.findByTestId("earnings-account")) as HTMLSelectElement;
    expect(Array.from(pick.options).map((o) => o.textContent)).toEqual([
      "All accounts",
      "Demo marketplace (Fiverr-like)",
      "HostJane shop (HostJane)",
    ]);
    await fireEvent.change(pick, { target: { value: "hj-1" } });
    await waitFor(() => expect(core.earningsArgs.at(-1)).toEqual({ accountId: "hj-1" }));
    expect(core.earningsArgs[0]).toEqual({ accountId: null });
  });

  it("shows the totals and one stacked bar per week", async () => {
    installFakeCore({ orders: [ROW], earnings: EARNINGS });
    render(App, { refreshMs: NEVER });
    await fireEvent.click(await screen.findByTestId("tab-earnings"));
    const view = await screen.findByTestId("earnings-view");
    expect(within(view).getByTestId("earnings-pending").textContent).toBe("$116.00");
    expect(within(view).getByTestId("earnings-clearing").textContent).toBe("$56.00");
    expect(within(view).getByTestId("earnings-available").textContent).toBe("$20.00");
    const bars = within(view).getAllByTestId("earnings-bar");
    expect(bars.map((b) => b.dataset.starts)).toEqual(["2026-11-16", "2026-11-23"]);
    const heights = (i: number) =>
      Array.from(within(view).getAllByTestId("earnings-bar")[i]?.querySelectorAll("rect") ?? []).reduce(
        (sum, r) => sum + Number(r.getAttribute("height")),
        0,
      );
    expect(heights(1)).toBeGreaterThan(heights(0));

    await fireEvent.click(within(view).getByTestId("earnings-by-month"));
    const months = within(view).getAllByTestId("earnings-bar");
    expect(months.map((b) => [b.dataset.period, b.dataset.starts])).toEqual([
      ["months", "2026-10-01"],
      ["months", "2026-11-01"],
    ]);
    expect(heights(1)).toBeGreaterThan(heights(0));
  });

  it("exports a month's invoices and a CSV for a period, and shows where they went", async () => {
    // A forecast month (no order paid there yet) is not offered for invoices.
    const future = { startsOn: "2999-01-01", pendingMinor: 500, clearingMinor: 0, availableMinor: 0, totalLabel: "$5.00" };
    const core = installFakeCore({
      orders: [ROW],
      earnings: { ...EARNINGS, months: [...EARNINGS.months, future] },
      more: {
        export_month_invoices: { folder: "/home/ana/Downloads/sellerdesk/2026-10", files: [{ path: "/x/a.pdf", name: "a.pdf", bytes: 9 }] },
        export_csv: { path: "/home/ana/Downloads/sellerdesk/orders 2026-10-01 to 2026-10-31.csv", name: "orders 2026-10-01 to 2026-10-31.csv", bytes: 120 },
      },
    });
    render(App, { refreshMs: NEVER });
    await fireEvent.click(await screen.findByTestId("tab-earnings"));
    const panel = await screen.findByTestId("exports");
    const month = within(panel).getByTestId("export-month") as HTMLSelectElement;
    expect(Array.from(month.options).map((o) => o.value)).toEqual(["2026-11-01", "2026-10-01"]);
    expect(month.value, "the newest month shows as chosen, never an empty select").toBe("2026-11-01");
    await fireEvent.change(month, { target: { value: "2026-10-01" } });
    await fireEvent.click(within(panel).getByTestId("export-invoices"));
    expect((await within(panel).findByTestId("export-result")).textContent).toContain(
      "Saved 1 invoice in /home/ana/Downloads/sellerdesk/2026-10",
    );
    expect(core.moreArgs[0]).toEqual({ cmd: "export_month_invoices", args: { year: 2026, month: 10 } });

    await fireEvent.change(within(panel).getByTestId("export-csv-kind"), { target: { value: "earnings_by_month" } });
    await fireEvent.input(within(panel).getByTestId("export-from"), { target: { value: "2026-10-01" } });
    await fireEvent.input(within(panel).getByTestId("export-to"), { target: { value: "2026-10-31" } });
    await fireEvent.click(within(panel).getByTestId("export-csv"));
    await waitFor(() => expect(core.moreArgs).toHaveLength(2));
    expect(core.moreArgs[1]).toEqual({
      cmd: "export_csv",
      args: { kind: "earnings_by_month", from: "2026-10-01", to: "2026-10-31" },
    });
    expect((await within(panel).findByTestId("export-result")).textContent).toContain(
      "Saved orders 2026-10-01 to 2026-10-31.csv in /home/ana/Downloads/sellerdesk",
    );
  });

  it("shows why an export failed", async () => {
    const core = installFakeCore({ orders: [ROW], earnings: EARNINGS });
    core.more.export_csv = () =>
      Promise.reject({ code: "invalid_input", message: "the period starts on 2026-11-02, after it ends on 2026-11-01" });
    render(App, { refreshMs: NEVER });
    await fireEvent.click(await screen.findByTestId("tab-earnings"));
    await fireEvent.click(await screen.findByTestId("export-csv"));
    expect((await screen.findByTestId("export-error")).textContent).toContain("after it ends");
  });
});

describe("sales invoice", () => {
  it("downloads the order's invoice and says where it was saved", async () => {
    const core = installFakeCore({
      orders: [ROW],
      detail: DETAIL,
      more: { save_invoice: { path: "/home/ana/Downloads/sellerdesk/SD-DEMO-000001 D-1001.pdf", name: "SD-DEMO-000001 D-1001.pdf", bytes: 31_000 } },
    });
    render(App, { refreshMs: NEVER });
    await fireEvent.click(await screen.findByTestId("order-title"));
    await fireEvent.click(await screen.findByTestId("invoice-download"));
    const saved = await screen.findByTestId("invoice-saved");
    expect(saved.textContent).toContain("Saved SD-DEMO-000001 D-1001.pdf in /home/ana/Downloads/sellerdesk");
    expect(core.moreArgs).toEqual([{ cmd: "save_invoice", args: { accountId: "acct-7", orderId: "D-1001" } }]);
  });

  it("keeps the panel as it was when Save as… is canceled, and shows a failure", async () => {
    const core = installFakeCore({ orders: [ROW], detail: DETAIL, more: { save_invoice_as: null } });
    render(App, { refreshMs: NEVER });
    await fireEvent.click(await screen.findByTestId("order-title"));
    await fireEvent.click(await screen.findByTestId("invoice-save-as"));
    await waitFor(() => expect(core.moreArgs).toHaveLength(1));
    expect(screen.queryByTestId("invoice-saved")).toBeNull();
    expect(screen.queryByTestId("invoice-error")).toBeNull();
    core.more.save_invoice = () => Promise.reject({ code: "storage", message: "cannot write /ro/x.pdf: Permission denied" });
    await fireEvent.click(screen.getByTestId("invoice-download"));
    expect((await screen.findByTestId("invoice-error")).textContent).toContain("Permission denied");
  });
});

describe("alerts", () => {
  it("lists live alerts in the header's inbox and opens the order from one, as a notification click does", async () => {
    const core = installFakeCore({
      orders: [ROW],
      detail: DETAIL,
      more: {
        alerts_inbox: {
          total: 1,
          alerts: [
          {
            key: "acct-7/D-1001/D-1001-R1/expiring/6h",
            kind: "request_expiring",
            accountId: "acct-7",
            orderId: "D-1001",
            requestId: "D-1001-R1",
            title: "Request on D-1001 expires in 5 h",
            body: "answer before it expires",
            actions: [["default", "Open order"]],
            at: Date.now() + 5 * 3_600_000,
          },
          ],
        },
      },
    });
    render(App, { refreshMs: NEVER });
    await screen.findByTestId("order-title");
    await waitFor(() => expect(screen.getByTestId("inbox-bell").dataset.count).toBe("1"));
    await fireEvent.click(screen.getByTestId("inbox-bell"));
    const item = await screen.findByTestId("inbox-item");
    expect(item.textContent).toContain("answer before it expires");
    await fireEvent.click(within(item).getAllByRole("button")[0]!);
    await screen.findByTestId("order-detail");
    expect(core.detailArgs).toEqual([{ accountId: "acct-7", orderId: "D-1001" }]);

    await fireEvent.click(screen.getByTestId("detail-close"));
    await emit("open-order", { accountId: "acct-7", orderId: "D-1001" });
    await screen.findByTestId("order-detail");
    expect(core.detailArgs).toHaveLength(2);
  });
});
