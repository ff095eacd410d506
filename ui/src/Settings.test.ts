// The notification settings over the fake core: they load, every control reaches the
// saved document, and a refusal from the core is shown.
import { fireEvent, render, screen, waitFor, within } from "@testing-library/svelte";
import { describe, expect, it } from "vitest";
import App from "./App.svelte";
import type { AlertSettings } from "./lib/bindings";
import { installFakeCore, order } from "./test/fakeCore";

const NEVER = 3_600_000;
const DEFAULTS: AlertSettings = {
  requestExpiringHours: [24, 6, 1],
  deliveryDueHours: [24, 2],
  autoCompletingHours: 24,
  off: [],
  quietHours: null,
  mutedAccounts: [],
};

describe("settings", () => {
  it("saves the kinds, thresholds, quiet hours and muted accounts the seller chose", async () => {
    const core = installFakeCore({
      orders: [order("D-1001")],
      more: {
        alert_settings: DEFAULTS,
        list_accounts: [{ id: "demo", label: "Demo marketplace", marketplace: "Fiverr-like" }],
        save_alert_settings: (a: Record<string, unknown>) => a.settings,
      },
    });
    render(App, { refreshMs: NEVER });
    await fireEvent.click(await screen.findByTestId("tab-settings"));
    const panel = await screen.findByTestId("settings");
    const kind = await within(panel).findAllByTestId("alert-kind");
    expect(kind).toHaveLength(6);
    await fireEvent.click(kind.find((k) => k.dataset.kind === "new_order")!);
    await fireEvent.input(within(panel).getByTestId("request-hours"), { target: { value: "12, 3" } });
    await fireEvent.click(within(panel).getByTestId("quiet-on"));
    await fireEvent.input(within(panel).getByTestId("quiet-start"), { target: { value: "21:30" } });
    await fireEvent.click(within(panel).getByTestId("mute-account"));
    expect(within(panel).getByTestId("mute-account").parentElement?.textContent).toContain("Mute Demo marketplace (Fiverr-like)");
    await fireEvent.click(within(panel).getByTestId("settings-save"));
    expect((await within(panel).findByTestId("settings-status")).textContent).toBe("Saved.");
    const saved = core.moreArgs.find((c) => c.cmd === "save_alert_settings")?.args as { settings: AlertSettings };
    expect(saved.settings).toEqual({
      ...DEFAULTS,
      requestExpiringHours: [12, 3],
      off: ["new_order"],
      quietHours: { start: "21:30", end: "07:00" },
      mutedAccounts: ["demo"],
    });
  });

  it("refuses thresholds that are not whole hours and shows the core's refusals", async () => {
    const core = installFakeCore({
      orders: [order("D-1001")],
      more: {
        alert_settings: DEFAULTS,
        list_accounts: [],
        save_alert_settings: () => Promise.reject({ code: "invalid_input", message: "Delivery due: 200 h is not a threshold; use 1 to 168 hours" }),
      },
    });
    render(App, { refreshMs: NEVER });
    await fireEvent.click(await screen.findByTestId("tab-settings"));
    const hours = await screen.findByTestId("delivery-hours");
    await fireEvent.input(hours, { target: { value: "24, two" } });
    await fireEvent.click(screen.getByTestId("settings-save"));
    expect((await screen.findByTestId("settings-error")).textContent).toContain("whole hours");
    expect(core.moreArgs.some((c) => c.cmd === "save_alert_settings")).toBe(false);
    await fireEvent.input(hours, { target: { value: "200" } });
    await fireEvent.click(screen.getByTestId("settings-save"));
    await waitFor(() => expect(screen.getByTestId("settings-error").textContent).toContain("1 to 168"));
  });
});
