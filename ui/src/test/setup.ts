// Runs around every test: unmount what a test rendered first (its cleanup unsubscribes
// from events through the mocked shell), then remove the Tauri mocks.
import { cleanup } from "@testing-library/svelte";
import { clearMocks } from "@tauri-apps/api/mocks";
import { afterEach } from "vitest";

afterEach(() => {
  cleanup();
  clearMocks();
});

// jsdom has no layout and so no ResizeObserver, which Svelte's `bind:offsetHeight` uses
// (the sticky header's height); sizes stay 0 under test.
globalThis.ResizeObserver ??= class {
  observe(): void {}
  unobserve(): void {}
  disconnect(): void {}
};
