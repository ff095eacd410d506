// The filter bar over the fake core: the default view is the live list (no extra call);
// another filter, a search or a sort asks `find_orders` with the whole query, shows its
// rows, asks again when a batch names orders, and going back shows the live list.
import { fireEvent, render, screen, waitFor, within } from "@testing-library/svelte";
import { describe, expect, it } from "vitest";
import App from "./App.svelte";
import type { OrderQuery } from "./lib/bindings";
import { emitChanges, installFakeCore, order, ordersChanged } from "./test/fakeCore";

const NEVER = 3_600_000;

const ids = () => screen.queryAllByTestId("order-row").map((r) => r.dataset.orderId);

function withFinder() {
  let found = [order("D-900", { status: "completed", statusLabel: "Completed", countdown: null })];
  const core = installFakeCore({
    orders: [order("D-1001"), order("D-1002")],
    more: { find_orders: () => found },
  });
  const queries = () => core.moreArgs.filter((a) => a.cmd === "find_orders").map((a) => (a.args as { query: OrderQuery }).query);
  return { core, queries, setFound: (rows: typeof found) => (found = rows) };
}

describe("order filters", () => {
  it("shows the live list by default and past orders one filter away", async () => {
    const { queries } = withFinder();
    render(App, { refreshMs: NEVER });
    await waitFor(() => expect(ids()).toEqual(["D-1001", "D-1002"]));
    const bar = screen.getByTestId("order-filters");
    expect((within(bar).getByTestId("order-filter") as HTMLSelectElement).value, "all active by default").toBe("active");
    expect((within(bar).getByTestId("order-sort") as HTMLSelectElement).value, "by urgency by default").toBe("urgency");
    expect(queries(), "the default view is the live list: no search call").toEqual([]);

    await fireEvent.change(within(bar).getByTestId("order-filter"), { target: { value: "completed" } });
    await waitFor(() => expect(ids()).toEqual(["D-900"]));
    expect(queries()).toEqual([{ status: "completed", text: "", sort: "urgency" }]);
    expect(screen.getByRole("list", { name: "Orders found" })).toBeTruthy();

    await fireEvent.input(within(bar).getByTestId("order-search"), { target: { value: "logo" } });
    await fireEvent.change(within(bar).getByTestId("order-sort"), { target: { value: "price" } });
    await waitFor(() => expect(queries().at(-1)).toEqual({ status: "completed", text: "logo", sort: "price" }));

    await fireEvent.input(within(bar).getByTestId("order-search"), { target: { value: "" } });
    await fireEvent.change(within(bar).getByTestId("order-sort"), { target: { value: "urgency" } });
    await fireEvent.change(within(bar).getByTestId("order-filter"), { target: { value: "active" } });
    const asked = queries().length;
    await waitFor(() => expect(ids(), "back to the live list").toEqual(["D-1001", "D-1002"]));
    expect(queries().length, "the live list needs no search").toBe(asked);
  });

  it("a search alone asks the core, and says when nothing matches", async () => {
    const { queries, setFound } = withFinder();
    setFound([]);
    render(App, { refreshMs: NEVER });
    await waitFor(() => expect(ids()).toHaveLength(2));
    await fireEvent.input(screen.getByTestId("order-search"), { target: { value: "nobody" } });
    expect(await screen.findByTestId("no-matches")).toBeTruthy();
    expect(queries().at(-1)).toEqual({ status: "active", text: "nobody", sort: "urgency" });
  });

  it("a change batch naming orders runs the search again", async () => {
    const { queries, setFound } = withFinder();
    render(App, { refreshMs: NEVER });
    await waitFor(() => expect(ids()).toHaveLength(2));
    await fireEvent.change(screen.getByTestId("order-filter"), { target: { value: "completed" } });
    await waitFor(() => expect(ids()).toEqual(["D-900"]));
    setFound([order("D-900", { status: "completed", countdown: null }), order("D-1001", { status: "completed", countdown: null })]);
    await emitChanges(ordersChanged("D-1001"));
    await waitFor(() => expect(ids(), "the order completed meanwhile joins the found rows").toEqual(["D-900", "D-1001"]));
    expect(queries()).toHaveLength(2);
  });
});
