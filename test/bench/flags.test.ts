/**
 * The bench entries answer bad flags like the CLI does: one readable line on
 * stderr, exit code 2, no stack trace (runs the built entries in dist/bench).
 */
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { PACKAGE_ROOT } from "../../src/trace/scenario.js";

function runEntry(entry: string, args: readonly string[]): { status: number | null; stderr: string; stdout: string } {
  const result = spawnSync(process.execPath, [join(PACKAGE_ROOT, "dist/bench", entry, "index.js"), ...args], { encoding: "utf8", timeout: 60_000 });
  return { status: result.status, stderr: result.stderr, stdout: result.stdout };
}

describe("bench entries on bad flags", () => {
  for (const entry of ["run", "profile", "flood", "export-100k", "heap-retainers"]) {
    it(`${entry}: an unknown flag is one line and exit 2`, () => {
      const result = runEntry(entry, ["--no-such-flag"]);
      expect(result.status).toBe(2);
      expect(result.stderr.trim().split("\n")).toHaveLength(1);
      expect(result.stderr).toContain(`bench ${entry}: Unknown option '--no-such-flag'`);
      expect(result.stdout).toBe("");
    });
  }

  it("a number flag that is not a number is one line and exit 2", () => {
    const result = runEntry("run", ["--runs", "three"]);
    expect(result.status).toBe(2);
    expect(result.stderr.trim()).toBe('bench run: --runs must be a positive number, got "three"');
  });

  it("an unknown section is one line and exit 2", () => {
    const result = runEntry("run", ["--only", "lod"]);
    expect(result.status).toBe(2);
    expect(result.stderr.trim()).toBe('bench run: --only: no section "lod" (sections: load, servers, startup, stepper, export)');
  });
});
