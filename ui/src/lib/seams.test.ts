// Keeps the two seams honest: only platform.ts talks to Tauri, IPC types come only from
// bindings/index.ts, and that index re-exports every generated type file.
/// <reference types="node" />
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";

const SRC = join(import.meta.dirname, "..");
const BINDINGS = join(SRC, "lib", "bindings");

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return /\.(ts|svelte)$/.test(entry.name) ? [path] : [];
  });
}

/** App code: not tests, not test helpers, not the bindings themselves. */
const appFiles = sourceFiles(SRC).filter(
  (f) => !f.endsWith(".test.ts") && !f.startsWith(join(SRC, "test")) && !f.startsWith(BINDINGS),
);
/** Every module specifier: `from "x"`, `import "x"` and `import("x")`. */
const importsOf = (file: string) =>
  [...readFileSync(file, "utf8").matchAll(/\b(?:from|import)\s*\(?\s*["']([^"']+)["']/g)].map((m) => m[1]!);

describe("seams", () => {
  it("finds the app's source files", () => {
    expect(appFiles.length, "the scan must see the app, or the checks below prove nothing").toBeGreaterThan(5);
  });

  it("lets only platform.ts import @tauri-apps/api", () => {
    const offenders = appFiles
      .filter((f) => importsOf(f).some((m) => m.startsWith("@tauri-apps/")))
      .map((f) => relative(SRC, f));
    expect(offenders, "Tauri must be reached through the platform seam only").toEqual(["lib/platform.ts"]);
  });

  it("imports IPC types only through bindings/index.ts", () => {
    const offenders = appFiles.flatMap((f) =>
      importsOf(f)
        .filter((m) => /(^|\/)bindings\/.+/.test(m) && !/bindings\/index(\.ts)?$/.test(m))
        .map((m) => `${relative(SRC, f)} imports ${m}`),
    );
    expect(offenders, "import from the bindings folder's index, not a generated file").toEqual([]);
  });

  it("re-exports every generated type from bindings/index.ts", () => {
    const index = readFileSync(join(BINDINGS, "index.ts"), "utf8");
    const generated = readdirSync(BINDINGS)
      .filter((f) => f.endsWith(".ts") && f !== "index.ts" && f !== "ipc.ts")
      .map((f) => f.replace(/\.ts$/, ""));
    expect(generated.length, "the generated bindings must be present").toBeGreaterThanOrEqual(9);
    const missing = generated.filter((name) => !index.includes(`export type { ${name} } from "./${name}";`));
    expect(missing, "a new generated type must be added to bindings/index.ts").toEqual([]);
    expect(index, "the generated commands and events are re-exported too").toContain('export { ipcCommands } from "./ipc";');
  });
});
