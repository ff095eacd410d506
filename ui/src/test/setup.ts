// Runs around every test: unmount what a test rendered first (its cleanup unsubscribes
// from events through the mocked shell), then remove the Tauri mocks.
import { cleanup } from "@testing-library/svelte";
import { clearMocks } from "@tauri-apps/api/mocks";
import { afterEach } from "vitest";

afterEach(() => {
  cleanup();
  clearMocks();
});
