// The export folder in Settings over the fake core: shown, changed through the folder
// dialog (closing it changes nothing), opened in the file manager, and a refusal shown.
import { fireEvent, render, screen, waitFor, within } from "@testing-library/svelte";
import { describe, expect, it } from "vitest";
import App from "./App.svelte";
import { installFakeCore, order } from "./test/fakeCore";

const NEVER = 3_600_000;
const SETTINGS = { requestExpiringHours: [24], deliveryDueHours: [24], autoCompletingHours: 24, off: [], quietHours: null, mutedAccounts: [] };

/** The fake core behind the Settings tab, with the export folder's commands in `more`. */
function settingsCore(more: Record<string, unknown>) {
  return installFakeCore({
    orders: [order("D-1001")],
    more: {
      alert_settings: SETTINGS,
      list_accounts: [],
      marketplaces: [],
      start_at_login: false,
      business_profile: { name: "", addressLines: [], taxId: "" },
      export_folder: "/home/ana/Documents/sellerdesk",
      ...more,
    },
  });
}

describe("export folder", () => {
  it("shows where exports go, changes it through the dialog and opens it", async () => {
    const answers: (string | null)[] = [null, "/home/ana/Accounting"];
    const core = settingsCore({ choose_export_folder: () => answers.shift() ?? null, show_in_folder: () => null });
    render(App, { refreshMs: NEVER });
    await fireEvent.click(await screen.findByTestId("tab-settings"));
    const section = await screen.findByTestId("export-folder-settings");
    const shown = within(section).getByTestId("export-folder");
    await waitFor(() => expect(shown.textContent).toBe("/home/ana/Documents/sellerdesk"));

    await fireEvent.click(within(section).getByTestId("export-folder-change"));
    await waitFor(() => expect(core.count("choose_export_folder")).toBe(1));
    expect(shown.textContent, "a closed dialog changes nothing").toBe("/home/ana/Documents/sellerdesk");
    expect(within(section).queryByTestId("export-folder-notice")).toBeNull();

    await fireEvent.click(within(section).getByTestId("export-folder-change"));
    await waitFor(() => expect(shown.textContent).toBe("/home/ana/Accounting"));
    expect(within(section).getByTestId("export-folder-notice").textContent).toContain("now go to this folder");

    await fireEvent.click(within(section).getByTestId("show-in-folder"));
    await waitFor(() => expect(core.moreArgs.find((c) => c.cmd === "show_in_folder")?.args).toEqual({ path: "/home/ana/Accounting" }));
  });

  it("says why a file cannot be shown", async () => {
    settingsCore({
      show_in_folder: () => Promise.reject({ code: "internal", message: "no file manager answered; the file is at /home/ana/Documents/sellerdesk" }),
    });
    render(App, { refreshMs: NEVER });
    await fireEvent.click(await screen.findByTestId("tab-settings"));
    const section = await screen.findByTestId("export-folder-settings");
    await waitFor(() => expect(within(section).getByTestId("export-folder").textContent).toContain("sellerdesk"));
    await fireEvent.click(within(section).getByTestId("show-in-folder"));
    expect((await screen.findByTestId("toast")).textContent).toContain("no file manager answered");
  });
});
