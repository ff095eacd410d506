// Delivering from the window over the fake core: "Deliver" sends the saved draft and the
// order's detail shows its uploads; the Uploads tab follows progress events (percent,
// speed) and pauses, resumes and cancels through the core.
import { fireEvent, render, screen, waitFor, within } from "@testing-library/svelte";
import { emit } from "@tauri-apps/api/event";
import { describe, expect, it } from "vitest";
import App from "./App.svelte";
import type { DraftContent, DraftView, OrderDetail, UploadJobView, UploadProgress } from "./lib/bindings";
import { installFakeCore } from "./test/fakeCore";
import { DETAIL, ROW } from "./test/fixtures";

const NEVER = 3_600_000;

function job(fields: Partial<UploadJobView> = {}): UploadJobView {
  return {
    id: "job-1",
    deliveryId: "dlv-1",
    accountId: ROW.accountId,
    orderId: ROW.id,
    name: "logo.zip",
    path: "/home/ana/logo.zip",
    size: 4_000_000,
    bytesDone: 0,
    state: "uploading",
    lastError: null,
    attempts: 0,
    ...fields,
  };
}

function progress(fields: Partial<UploadProgress>): UploadProgress {
  return {
    jobId: "job-1",
    deliveryId: "dlv-1",
    state: "uploading",
    bytesDone: 0,
    total: 4_000_000,
    bytesPerSec: 0,
    secondsLeft: null,
    lastError: null,
    ...fields,
  };
}

const DRAFT: DraftContent = {
  description: "Three sizes of the logo",
  files: [{ path: "/home/ana/logo.zip", name: "logo.zip", size: 4_000_000 }],
  noFileConfirmed: false,
  outsidePlatform: false,
  modified: false,
};

/** The order's saved draft, as the core answers `load_draft`. */
const SAVED: DraftView = {
  draft: { orderId: ROW.id, version: 3, content: DRAFT, updatedMs: 1, baseStatus: "in_progress", baseDueMs: 0 },
  orderChanged: null,
};

/** Opens the order's detail and its "Deliver now" composer. */
async function openComposer(): Promise<void> {
  render(App, { refreshMs: NEVER });
  await fireEvent.click(await screen.findByTestId("order-title"));
  const panel = await screen.findByTestId("order-detail");
  const deliver = within(panel)
    .getAllByTestId("detail-action")
    .find((a) => a.dataset.action === "deliver");
  await fireEvent.click(within(deliver as HTMLElement).getByRole("button"));
}

describe("delivering an order", () => {
  it("sends the saved draft and shows the delivery's uploads in the order", async () => {
    const uploading: OrderDetail = {
      ...DETAIL,
      delivery: {
        id: "dlv-1",
        accountId: ROW.accountId,
        orderId: ROW.id,
        state: "uploading",
        outboxSeq: null,
        files: 1,
        filesDone: 0,
        createdMs: 1,
      },
      uploads: [job()],
    };
    const core = installFakeCore({
      orders: [ROW],
      detail: DETAIL,
      more: {
        load_draft: SAVED,
        submit_delivery: uploading,
      },
    });
    await openComposer();
    expect(((await screen.findByTestId("delivery-description")) as HTMLTextAreaElement).value).toBe(DRAFT.description);

    const send = screen.getByTestId("delivery-send") as HTMLButtonElement;
    expect(send.disabled, "a draft with a file and a description can be sent").toBe(false);
    await fireEvent.click(send);

    const delivery = await screen.findByTestId("order-delivery");
    expect(core.moreArgs.filter((c) => c.cmd === "submit_delivery").map((c) => c.args)).toEqual([
      { accountId: ROW.accountId, orderId: ROW.id },
    ]);
    await waitFor(() => expect(screen.queryByTestId("delivery-composer"), "the composer closes once sent").toBeNull());
    expect(within(delivery).getByTestId("order-delivery-summary").textContent).toContain("0 of 1 files uploaded");
    await emit("upload-progress", progress({ bytesDone: 2_000_000, bytesPerSec: 1_000_000, secondsLeft: 2 }));
    await waitFor(() => expect(within(delivery).getByTestId("upload-percent").textContent).toBe("50 %"));
    expect(within(delivery).getByTestId("upload-speed").textContent).toBe("977 KB/s");
  });

  it("keeps the composer open with the core's reason when the delivery is refused", async () => {
    installFakeCore({
      orders: [ROW],
      detail: DETAIL,
      more: {
        load_draft: SAVED,
        submit_delivery: () =>
          Promise.reject({ code: "invalid_input", message: "/home/ana/logo.zip cannot be found; pick the file again" }),
      },
    });
    await openComposer();
    await screen.findByTestId("delivery-description");
    await fireEvent.click(screen.getByTestId("delivery-send"));
    expect((await screen.findByTestId("delivery-error")).textContent).toContain("pick the file again");
    expect(screen.getByTestId("delivery-composer")).toBeTruthy();
  });
});

describe("uploads tab", () => {
  it("lists every upload, follows progress and pauses, resumes and cancels through the core", async () => {
    let jobs = [job({ bytesDone: 1_000_000 }), job({ id: "job-2", deliveryId: "dlv-2", orderId: "D-1002", name: "video.mp4", state: "failed", lastError: "/home/ana/video.mp4 changed since it was queued; pick it again" })];
    const core = installFakeCore({
      orders: [ROW],
      more: {
        list_uploads: () => jobs,
        pause_upload: (a: Record<string, unknown>) => {
          jobs = jobs.map((j) => (j.id === a.jobId ? { ...j, state: "paused" } : j));
          return null;
        },
        resume_upload: (a: Record<string, unknown>) => {
          jobs = jobs.map((j) => (j.id === a.jobId ? { ...j, state: "queued" } : j));
          return null;
        },
        cancel_upload: (a: Record<string, unknown>) => {
          jobs = jobs.map((j) => (j.deliveryId === a.id ? { ...j, state: "canceled" } : j));
          return null;
        },
      },
    });
    render(App, { refreshMs: NEVER });
    await fireEvent.click(await screen.findByTestId("tab-uploads"));
    const panel = await screen.findByTestId("uploads-panel");
    await waitFor(() => expect(within(panel).getAllByTestId("upload")).toHaveLength(2));
    const row = (id: string) => within(panel).getAllByTestId("upload").find((r) => r.dataset.job === id) as HTMLElement;
    expect(within(row("job-1")).getByTestId("upload-percent").textContent).toBe("25 %");
    expect(within(row("job-2")).getByTestId("upload-last-error").textContent).toContain("changed since it was queued");

    await emit("upload-progress", progress({ bytesDone: 3_000_000, bytesPerSec: 2_000_000, secondsLeft: 0.5 }));
    await waitFor(() => expect(within(row("job-1")).getByTestId("upload-percent").textContent).toBe("75 %"));

    await fireEvent.click(within(row("job-1")).getByTestId("upload-pause"));
    await waitFor(() => expect(row("job-1").dataset.state).toBe("paused"));
    await fireEvent.click(within(row("job-2")).getByTestId("upload-resume"));
    await waitFor(() => expect(row("job-2").dataset.state).toBe("queued"));
    await fireEvent.click(within(row("job-2")).getByTestId("upload-cancel"));
    await waitFor(() => expect(row("job-2").dataset.state).toBe("canceled"));
    expect(core.moreArgs.filter((c) => c.cmd !== "list_uploads").map((c) => [c.cmd, c.args])).toEqual([
      ["pause_upload", { jobId: "job-1" }],
      ["resume_upload", { jobId: "job-2" }],
      ["cancel_upload", { id: "dlv-2" }],
    ]);
  });
});
