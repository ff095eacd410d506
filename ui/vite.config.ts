// Build and test configuration. The built page is embedded in the Tauri binary and served
// from the app's own origin, so assets use relative paths and nothing is loaded remotely.
import { defineConfig } from "vitest/config";
import { svelte } from "@sveltejs/vite-plugin-svelte";
import { svelteTesting } from "@testing-library/svelte/vite";

export default defineConfig({
  base: "./",
  plugins: [svelte(), svelteTesting({ autoCleanup: false })],
  build: { outDir: "dist", emptyOutDir: true, target: "es2022" },
  test: {
    environment: "jsdom",
    include: ["src/**/*.test.ts"],
    // Unmounts components, then removes the Tauri mocks: in that order (see the file).
    setupFiles: ["src/test/setup.ts"],
  },
});
