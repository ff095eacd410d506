// The business profile form over the fake core: it loads what was saved, refuses an
// address without a name before asking the core, and saves the lines as typed.
import { fireEvent, render, screen, within } from "@testing-library/svelte";
import { describe, expect, it } from "vitest";
import App from "./App.svelte";
import type { BusinessProfile } from "./lib/bindings";
import { installFakeCore, order } from "./test/fakeCore";

const NEVER = 3_600_000;

describe("business profile", () => {
  it("checks the form, then saves name, address lines and tax id", async () => {
    const core = installFakeCore({
      orders: [order("D-1001")],
      more: {
        alert_settings: { requestExpiringHours: [24], deliveryDueHours: [24], autoCompletingHours: 24, off: [], quietHours: null, mutedAccounts: [] },
        list_accounts: [],
        start_at_login: false,
        business_profile: { name: "", addressLines: [], taxId: "" },
        save_business_profile: (a: Record<string, unknown>) => a.profile,
      },
    });
    render(App, { refreshMs: NEVER });
    await fireEvent.click(await screen.findByTestId("tab-settings"));
    const form = await screen.findByTestId("business-profile");
    const address = await within(form).findByTestId("business-address");
    await fireEvent.input(address, { target: { value: "12 Rue des Lilas\n\n75011 Paris" } });
    await fireEvent.click(within(form).getByTestId("business-save"));
    expect((await within(form).findByTestId("business-error")).textContent).toContain("business name");
    expect(core.moreArgs.some((c) => c.cmd === "save_business_profile")).toBe(false);

    await fireEvent.input(within(form).getByTestId("business-name"), { target: { value: "Ana Studio" } });
    await fireEvent.input(within(form).getByTestId("business-tax-id"), { target: { value: "FR40303265045" } });
    await fireEvent.click(within(form).getByTestId("business-save"));
    expect((await within(form).findByTestId("business-status")).textContent).toContain("Saved");
    const saved = core.moreArgs.find((c) => c.cmd === "save_business_profile")?.args as { profile: BusinessProfile };
    expect(saved.profile).toEqual({ name: "Ana Studio", addressLines: ["12 Rue des Lilas", "75011 Paris"], taxId: "FR40303265045" });
  });
});
