// The alert inbox in the header: the bell's count, alerts grouped by order with live
// relative times, dismissing one or all, and an alert leaving by itself once the core no
// longer lists it as live (its order was answered, delivered or its request expired).
import { fireEvent, render, screen, waitFor, within } from "@testing-library/svelte";
import { emit } from "@tauri-apps/api/event";
import { afterEach, describe, expect, it, vi } from "vitest";
import AlertInbox from "./components/AlertInbox.svelte";
import type { InboxAlert } from "./lib/bindings";
import { installFakeCore } from "./test/fakeCore";
import { toast } from "./lib/toast.svelte";

const T0 = Date.UTC(2026, 10, 22, 12, 0);
const MIN = 60_000;

function alert(orderId: string, kind: InboxAlert["kind"], at: number, requestId: string | null = null): InboxAlert {
  return {
    key: `acct-7/${orderId}/${requestId ?? kind}`,
    kind,
    accountId: "acct-7",
    orderId,
    requestId,
    at,
    title: `${kind} on ${orderId}`,
    body: `Order ${orderId} needs you`,
    actions: [["default", "Open order"]],
  };
}

const EXPIRING = alert("D-1010", "request_expiring", T0 + 59 * MIN, "D-1010-R1");
const DUE = alert("D-1010", "delivery_due", T0 + 3 * 60 * MIN);
const NEW = alert("D-1003", "new_order", T0 - 2 * 60 * MIN);

/** A `loadLive` answering what the test sets, counting its calls. */
function liveAlerts(initial: InboxAlert[]) {
  const live = { now: initial, calls: 0 };
  const load = (limit: number) => {
    live.calls += 1;
    return Promise.resolve({ alerts: live.now.slice(0, limit), total: live.now.length });
  };
  return { live, load };
}

const items = () => screen.queryAllByTestId("inbox-item").map((i) => i.dataset.key);

afterEach(() => {
  vi.useRealTimers();
  toast.dismiss();
});

describe("alert inbox", () => {
  it("counts live alerts on the bell and lists them grouped by order", async () => {
    installFakeCore();
    const { load } = liveAlerts([EXPIRING, NEW, DUE]);
    const opened: InboxAlert[] = [];
    render(AlertInbox, { loadLive: load, onOpen: (a: InboxAlert) => opened.push(a) });
    const bell = screen.getByTestId("inbox-bell");
    await waitFor(() => expect(bell.dataset.count).toBe("3"));
    expect(bell.getAttribute("aria-expanded")).toBe("false");
    await fireEvent.click(bell);
    expect(bell.getAttribute("aria-expanded")).toBe("true");
    const groups = screen.getAllByTestId("inbox-group");
    expect(
      groups.map((g) => [g.dataset.inboxOrder, within(g).getAllByTestId("inbox-item").map((i) => i.dataset.kind)]),
      "one group per order, in the order of its most urgent alert",
    ).toEqual([
      ["D-1010", ["request_expiring", "delivery_due"]],
      ["D-1003", ["new_order"]],
    ]);
    await fireEvent.click(within(groups[1]!).getAllByRole("button")[0]!);
    expect(opened.map((a) => a.orderId), "a click opens the alert's order").toEqual(["D-1003"]);
  });

  it("dismisses one alert, then all", async () => {
    installFakeCore();
    const { load } = liveAlerts([EXPIRING, NEW, DUE]);
    render(AlertInbox, { loadLive: load });
    await waitFor(() => expect(screen.getByTestId("inbox-bell").dataset.count).toBe("3"));
    await fireEvent.click(screen.getByTestId("inbox-bell"));
    const first = screen.getAllByTestId("inbox-item")[0]!;
    await fireEvent.click(within(first).getByTestId("inbox-dismiss"));
    expect(items(), "the groups follow the most urgent alert left").toEqual([NEW.key, DUE.key]);
    expect(screen.getByTestId("inbox-bell").dataset.count).toBe("2");
    await fireEvent.click(screen.getByTestId("inbox-dismiss-all"));
    expect(items(), "Dismiss all empties the inbox").toEqual([]);
    expect(screen.getByTestId("inbox-bell").dataset.count).toBe("0");
    expect(screen.queryByTestId("inbox-count"), "no number on the bell").toBeNull();
    expect(document.activeElement, "focus returns to the bell").toBe(screen.getByTestId("inbox-bell"));
  });

  it("drops an alert that resolved itself once the core no longer lists it", async () => {
    installFakeCore();
    const { live, load } = liveAlerts([EXPIRING, NEW]);
    render(AlertInbox, { loadLive: load });
    await fireEvent.click(screen.getByTestId("inbox-bell"));
    await waitFor(() => expect(items()).toEqual([EXPIRING.key, NEW.key]));
    // The seller answered the request: the core's live list no longer has it.
    live.now = [NEW];
    await emit("changes", { changes: [{ accountId: "acct-7", orderId: "D-1010", what: "order" }] });
    await waitFor(() => expect(items(), "the answered request's alert is gone").toEqual([NEW.key]));
    expect(screen.getByTestId("inbox-bell").dataset.count).toBe("1");
  });

  it("ticks relative times each minute and reloads, so passed deadlines resolve", async () => {
    vi.useFakeTimers({ toFake: ["setInterval", "clearInterval", "Date"] });
    vi.setSystemTime(T0);
    installFakeCore();
    const { live, load } = liveAlerts([EXPIRING]);
    render(AlertInbox, { loadLive: load });
    await fireEvent.click(screen.getByTestId("inbox-bell"));
    await waitFor(() => expect(screen.getAllByTestId("inbox-when")).toHaveLength(1));
    const when = () => screen.getByTestId("inbox-when").textContent;
    expect(when()).toBe("expires in 59 min");
    await vi.advanceTimersByTimeAsync(MIN);
    expect(when(), "a minute later").toBe("expires in 58 min");
    await vi.advanceTimersByTimeAsync(30 * MIN);
    expect(when()).toBe("expires in 28 min");
    live.now = [];
    await vi.advanceTimersByTimeAsync(MIN);
    expect(items(), "the next tick's reload drops the expired request").toEqual([]);
  });

  it("shows one toast for alerts the core raises, however many", async () => {
    installFakeCore();
    const { live, load } = liveAlerts([]);
    render(AlertInbox, { loadLive: load });
    await waitFor(() => expect(screen.getByTestId("inbox-bell").dataset.count).toBe("0"));
    live.now = [EXPIRING, NEW];
    await emit("alerts", [EXPIRING, NEW]);
    await waitFor(() => expect(screen.getByTestId("inbox-bell").dataset.count).toBe("2"));
    expect(toast.current?.text).toBe("2 new alerts — see the bell");
  });
});

describe("alert inbox at scale", () => {
  it("lists the most urgent hundred, counts every live alert on the bell, and asks past the dismissed ones", async () => {
    installFakeCore();
    const many = Array.from({ length: 5_000 }, (_, i) => alert(`L-${String(i).padStart(4, "0")}`, "delivery_late", T0 - (i + 1) * MIN));
    const asked: number[] = [];
    const { live, load } = liveAlerts(many);
    render(AlertInbox, {
      loadLive: (limit: number) => {
        asked.push(limit);
        return load(limit);
      },
    });
    await waitFor(() => expect(screen.getByTestId("inbox-bell").dataset.count, "every live alert is counted").toBe("5000"));
    expect(asked[0], "the window asks for a hundred, not every alert").toBe(100);
    await fireEvent.click(screen.getByTestId("inbox-bell"));
    expect(items(), "the hundred most urgent are listed").toHaveLength(100);
    expect(screen.getByTestId("inbox-more").textContent).toContain("4900 more");
    await fireEvent.click(screen.getByTestId("inbox-dismiss-all"));
    await waitFor(() => expect(screen.getByTestId("inbox-bell").dataset.count, "the listed ones are dismissed").toBe("4900"));
    live.now = many.slice(); // the next load (a minute later, or a change)
    await fireEvent.click(screen.getByTestId("inbox-bell"));
    await waitFor(() => expect(asked.at(-1), "past the hundred dismissed").toBe(200));
    await waitFor(() => expect(items()[0], "the next hundred are listed").toBe(many[100]!.key));
    expect(screen.getByTestId("inbox-bell").dataset.count).toBe("4900");
  });
});
