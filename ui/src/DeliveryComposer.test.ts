// The delivery composer over the fake core: a saved draft comes back, typing autosaves
// over the version it started from, refused files say why, a delivery without a file
// needs the explicit confirmation, and a dropped file is attached.
import { fireEvent, render, screen, waitFor } from "@testing-library/svelte";
import { emit } from "@tauri-apps/api/event";
import { describe, expect, it, vi } from "vitest";
import DeliveryComposer from "./components/DeliveryComposer.svelte";
import type { DraftContent, DraftView } from "./lib/bindings";
import { installFakeCore } from "./test/fakeCore";

type Args = Record<string, unknown>;

const FILE = { path: "/home/ana/work/logo.zip", name: "logo.zip", size: 2_400_000 };

function saved(base: number | null, content: DraftContent, orderChanged: string | null = null): DraftView {
  return {
    draft: { orderId: "D-1001", version: (base ?? 0) + 1, content, updatedMs: 1, baseStatus: "in_progress", baseDueMs: 0 },
    orderChanged,
  };
}

describe("delivery composer", () => {
  it("reloads the saved draft and autosaves a change over its version", async () => {
    const core = installFakeCore({
      more: {
        load_draft: saved(null, { description: "Logo v1", files: [FILE], noFileConfirmed: false, outsidePlatform: false, modified: false }),
        save_draft: (a: Args) => saved(a.base as number | null, a.content as DraftContent),
      },
    });
    render(DeliveryComposer, { accountId: "demo", orderId: "D-1001", modified: false, autosaveMs: 10, onClose: () => {} });
    const text = (await screen.findByTestId("delivery-description")) as HTMLTextAreaElement;
    expect(text.value).toBe("Logo v1");
    expect(screen.getAllByTestId("delivery-file").map((li) => li.dataset.path)).toEqual([FILE.path]);
    await fireEvent.input(text, { target: { value: "Logo v2, with the source files" } });
    await waitFor(() => expect(screen.getByTestId("draft-state").dataset.state).toBe("saved"));
    const saves = core.moreArgs.filter((c) => c.cmd === "save_draft");
    expect(saves).toHaveLength(1);
    expect(saves[0]?.args).toMatchObject({
      accountId: "demo",
      orderId: "D-1001",
      base: 1,
      content: { description: "Logo v2, with the source files", files: [FILE] },
    });
    await fireEvent.input(text, { target: { value: "Logo v3" } });
    await waitFor(() => expect(core.moreArgs.filter((c) => c.cmd === "save_draft")).toHaveLength(2));
    expect(core.moreArgs.filter((c) => c.cmd === "save_draft")[1]?.args).toMatchObject({ base: 2 });
  });

  it("tells the seller the order changed since the draft was started, keeping the draft", async () => {
    installFakeCore({
      more: {
        load_draft: saved(
          null,
          { description: "Logo v1", files: [], noFileConfirmed: true, outsidePlatform: false, modified: false },
          "The order was canceled since you started this draft: it can no longer be delivered. Your draft is kept.",
        ),
      },
    });
    render(DeliveryComposer, { accountId: "demo", orderId: "D-1001", modified: false, autosaveMs: 10, onClose: () => {} });
    expect((await screen.findByTestId("draft-order-changed")).textContent).toContain("canceled");
    expect(((await screen.findByTestId("delivery-description")) as HTMLTextAreaElement).value).toBe("Logo v1");
  });

  it("says when a save is refused and keeps what was typed", async () => {
    installFakeCore({
      more: {
        load_draft: null,
        save_draft: () =>
          Promise.reject({ code: "conflict", message: "the draft of order D-1001 was saved elsewhere since (version Some(3)…)" }),
      },
    });
    render(DeliveryComposer, { accountId: "demo", orderId: "D-1001", modified: false, autosaveMs: 10, onClose: () => {} });
    const text = (await screen.findByTestId("delivery-description")) as HTMLTextAreaElement;
    await fireEvent.input(text, { target: { value: "Important words" } });
    await waitFor(() => expect(screen.getByTestId("draft-state").dataset.state).toBe("failed"));
    expect(screen.getByTestId("draft-state").textContent).toContain("saved elsewhere");
    expect(text.value).toBe("Important words");
  });

  it("needs a file or the explicit no-file confirmation, then sends", async () => {
    installFakeCore({ more: { load_draft: null, save_draft: (a: Args) => saved(a.base as number | null, a.content as DraftContent) } });
    const onSend = vi.fn(async (_: DraftContent) => undefined);
    render(DeliveryComposer, { accountId: "demo", orderId: "D-1001", modified: true, autosaveMs: 10, onSend, onClose: () => {} });
    await fireEvent.input(await screen.findByTestId("delivery-description"), { target: { value: "Changed the colours" } });
    const send = screen.getByTestId("delivery-send") as HTMLButtonElement;
    expect(send.textContent).toContain("Deliver modified work");
    expect(send.disabled).toBe(true);
    expect(screen.getByTestId("delivery-blocker").textContent).toContain("confirm");
    await fireEvent.click(screen.getByTestId("delivery-no-file"));
    expect(send.disabled).toBe(false);
    await fireEvent.click(send);
    await waitFor(() => expect(onSend).toHaveBeenCalledTimes(1));
    expect(onSend.mock.calls[0]?.[0]).toEqual({
      description: "Changed the colours",
      files: [],
      noFileConfirmed: true,
      outsidePlatform: false,
      modified: true,
    });
  });

  it("attaches a dropped file and shows why another one is refused", async () => {
    const core = installFakeCore({
      more: {
        load_draft: null,
        save_draft: (a: Args) => saved(a.base as number | null, a.content as DraftContent),
        attach_paths: (a: Args) => {
          const paths = a.paths as string[];
          return {
            files: paths.filter((p) => p.endsWith(".zip")).map((p) => ({ path: p, name: p.split("/").pop(), size: 10 })),
            refused: paths
              .filter((p) => p.endsWith(".mov"))
              .map((p) => `${p.split("/").pop()} is 6 GB; Fiverr-like takes files up to 5 GB each. Upload it elsewhere and share a download link in the description instead.`),
          };
        },
      },
    });
    render(DeliveryComposer, { accountId: "demo", orderId: "D-1001", modified: false, autosaveMs: 10, onClose: () => {} });
    await screen.findByTestId("delivery-pick");
    await waitFor(async () => {
      await emit("tauri://drag-drop", { paths: ["/home/ana/raw.mov"], position: { x: 1, y: 1 } });
      expect(screen.getByTestId("delivery-refused").textContent).toContain("download link");
    });
    expect(screen.queryByTestId("delivery-file")).toBeNull();

    // The drop listener starts once the draft is loaded; a repeated drop is not added twice.
    await waitFor(async () => {
      await emit("tauri://drag-drop", { paths: ["/home/ana/final.zip"], position: { x: 1, y: 1 } });
      expect(screen.getAllByTestId("delivery-file")).toHaveLength(1);
    });
    expect(core.moreArgs.filter((c) => c.cmd === "attach_paths").length).toBeGreaterThanOrEqual(2);
    expect(screen.queryByTestId("delivery-no-file")).toBeNull();
  });
});
