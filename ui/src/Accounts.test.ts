// Marketplace accounts in Settings over the fake core: listed with where their token is,
// added through the form after a passed "Test connection" of the picked marketplace (the
// token is sent once and never shown), removed after a confirmation, and the core's
// refusal of an address shown in plain words.
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
const MARKETPLACES = [
  { id: "fiverr", name: "Fiverr" },
  { id: "hostjane", name: "HostJane" },
];
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
        marketplaces: MARKETPLACES,
        test_connection: (a: Record<string, unknown>) =>
          a.token === "tok-SECRET"
            ? { marketplaceId: a.marketplace, marketplace: "HostJane", ordersSeen: 12 }
            : Promise.reject({ code: "auth_expired", message: "the marketplace refused this token: copy it again from your seller settings" }),
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
    const picker = within(panel).getByTestId("account-marketplace") as HTMLSelectElement;
    await waitFor(() => expect(picker.value, "the first marketplace is picked").toBe("fiverr"));
    expect((within(panel).getByTestId("account-label") as HTMLInputElement).value, "the name follows the pick").toBe("Fiverr");
    await fireEvent.change(picker, { target: { value: "hostjane" } });
    expect((within(panel).getByTestId("account-label") as HTMLInputElement).value).toBe("HostJane");
    await fireEvent.input(within(panel).getByTestId("account-label"), { target: { value: "Shop" } });
    await fireEvent.input(within(panel).getByTestId("account-url"), { target: { value: "https://api.shop.example" } });
    const add = within(panel).getByTestId("account-add") as HTMLButtonElement;

    await fireEvent.input(within(panel).getByTestId("account-token"), { target: { value: "tok-OLD" } });
    expect(add.disabled, "no adding before a passed test").toBe(true);
    await fireEvent.click(within(panel).getByTestId("account-test"));
    const result = within(panel).getByTestId("account-test-result");
    await waitFor(() => expect(result.dataset.ok).toBe("false"));
    expect(result.textContent).toContain("Not connected: the marketplace refused this token");
    expect(add.disabled, "a failed test does not unlock adding").toBe(true);

    await fireEvent.input(within(panel).getByTestId("account-token"), { target: { value: "tok-SECRET" } });
    expect(result.dataset.ok, "a changed token needs a new test").toBeUndefined();
    await fireEvent.click(within(panel).getByTestId("account-test"));
    await waitFor(() => expect(result.dataset.ok).toBe("true"));
    expect(result.textContent).toContain("Connected to HostJane");
    expect(core.moreArgs.filter((c) => c.cmd === "test_connection").at(-1)?.args).toEqual({
      baseUrl: "https://api.shop.example",
      token: "tok-SECRET",
      marketplace: "hostjane",
    });
    expect(add.disabled, "a passed test unlocks adding").toBe(false);
    await fireEvent.click(add);
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
        marketplaces: MARKETPLACES,
        test_connection: () =>
          Promise.reject({
            code: "invalid_input",
            message: "\"http://shop.example\" is not an address sellerdesk can use: plain http is only allowed to this computer (loopback); use https",
          }),
      },
    });
    render(App, { refreshMs: 3_600_000 });
    await fireEvent.click(await screen.findByTestId("tab-settings"));
    await fireEvent.input(await screen.findByTestId("account-url"), { target: { value: "http://shop.example" } });
    await fireEvent.input(screen.getByTestId("account-token"), { target: { value: "t" } });
    await fireEvent.click(screen.getByTestId("account-test"));
    await waitFor(() => expect(screen.getByTestId("account-test-result").textContent).toContain("use https"));
    expect((screen.getByTestId("account-add") as HTMLButtonElement).disabled).toBe(true);
  });
});
