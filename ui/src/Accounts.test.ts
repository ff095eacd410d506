// Marketplace accounts in Settings over the fake core: listed with where their token is,
// added through the form (the token is sent once and never shown), removed after a
// confirmation, and the core's refusal of a plain-http address shown.
import { fireEvent, render, screen, waitFor, within } from "@testing-library/svelte";
import { describe, expect, it } from "vitest";
import App from "./App.svelte";
import type { AccountView, AlertSettings } from "./lib/bindings";
import { installFakeCore, order } from "./test/fakeCore";

const SETTINGS: AlertSettings = {
  requestExpiringHours: [24, 6, 1],
  deliveryDueHours: [24, 2],
  autoCompletingHours: 24,
  off: [],
  quietHours: null,
  mutedAccounts: [],
};
const DEMO: AccountView = {
  id: "demo",
  label: "Demo marketplace",
  marketplace: "Fiverr-like",
  baseUrl: "http://127.0.0.1:4000",
  connected: true,
  tokenHome: { kind: "memory_only", reason: "given at start" },
};

describe("accounts", () => {
  it("adds an account, says where its token went, and removes one after confirming", async () => {
    let accounts: AccountView[] = [DEMO];
    const core = installFakeCore({
      orders: [order("D-1001")],
      more: {
        alert_settings: SETTINGS,
        list_accounts: () => accounts,
        add_account: (a: Record<string, unknown>) => {
          const added: AccountView = {
            id: "shop-1a2b3c",
            label: a.label as string,
            marketplace: null,
            baseUrl: a.baseUrl as string,
            connected: true,
            tokenHome: { kind: "keychain" },
          };
          accounts = [...accounts, added];
          return added;
        },
        remove_account: (a: Record<string, unknown>) => {
          accounts = accounts.filter((x) => x.id !== a.accountId);
          return null;
        },
      },
    });
    render(App, { refreshMs: 3_600_000 });
    await fireEvent.click(await screen.findByTestId("tab-settings"));
    const panel = await screen.findByTestId("accounts");
    await waitFor(() => expect(within(panel).getAllByTestId("account")).toHaveLength(1));
    await fireEvent.input(within(panel).getByTestId("account-label"), { target: { value: "Shop" } });
    await fireEvent.input(within(panel).getByTestId("account-url"), { target: { value: "https://api.shop.example" } });
    await fireEvent.input(within(panel).getByTestId("account-token"), { target: { value: "tok-SECRET" } });
    await fireEvent.click(within(panel).getByTestId("account-add"));
    expect((await within(panel).findByTestId("accounts-notice")).textContent).toContain("keychain");
    expect(core.moreArgs.find((c) => c.cmd === "add_account")?.args).toEqual({
      label: "Shop",
      baseUrl: "https://api.shop.example",
      token: "tok-SECRET",
    });
    expect((within(panel).getByTestId("account-token") as HTMLInputElement).value, "the token field is cleared").toBe("");
    await waitFor(() => expect(within(panel).getAllByTestId("account")).toHaveLength(2));
    expect(panel.textContent).not.toContain("tok-SECRET");

    const shop = within(panel).getAllByTestId("account")[1]!;
    expect(within(shop).getByTestId("token-home").textContent).toContain("system keychain");
    await fireEvent.click(within(shop).getByTestId("account-remove"));
    await fireEvent.click(within(shop).getByTestId("account-remove-confirm"));
    await waitFor(() => expect(within(panel).getAllByTestId("account")).toHaveLength(1));
    expect(core.moreArgs.find((c) => c.cmd === "remove_account")?.args).toEqual({ accountId: "shop-1a2b3c" });
  });

  it("shows why an address is refused", async () => {
    installFakeCore({
      orders: [order("D-1001")],
      more: {
        alert_settings: SETTINGS,
        list_accounts: [DEMO],
        add_account: () =>
          Promise.reject({
            code: "invalid_input",
            message: "invalid marketplace address http://shop.example: plain http is only allowed to this computer (loopback); use https",
          }),
      },
    });
    render(App, { refreshMs: 3_600_000 });
    await fireEvent.click(await screen.findByTestId("tab-settings"));
    await fireEvent.input(await screen.findByTestId("account-label"), { target: { value: "Shop" } });
    await fireEvent.input(screen.getByTestId("account-url"), { target: { value: "http://shop.example" } });
    await fireEvent.input(screen.getByTestId("account-token"), { target: { value: "t" } });
    await fireEvent.click(screen.getByTestId("account-add"));
    expect((await screen.findByTestId("accounts-error")).textContent).toContain("use https");
  });
});
