/**
 * A built-in scenario folder that breaks its schema (bad JSON, a field of the wrong type) is bad
 * input, not a bug: every command reads the built-in folders (the help lists the lessons), so each
 * ends on one readable line naming the file and the field, exit 2, no stack. Run on a copy of the
 * built package with one of test/fixtures/broken-scenarios/ among its traces/. Its claims.json
 * is one of its files like the others, and an anchor must be text of its program.
 */
import { spawn } from "node:child_process";
import { cpSync, mkdtempSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { PACKAGE_ROOT } from "../../src/trace/scenario.js";

const made: string[] = [];

/** A copy of the built package (bin, dist, traces, package.json; node_modules linked) with the fixture folder `name` in traces/. */
function packageWith(name: string): string {
  const root = mkdtempSync(join(tmpdir(), "ts-broken-"));
  made.push(root);
  for (const part of ["bin", "dist", "traces", "package.json"]) cpSync(join(PACKAGE_ROOT, part), join(root, part), { recursive: true });
  cpSync(join(PACKAGE_ROOT, "test/fixtures/broken-scenarios", name), join(root, "traces", name), { recursive: true });
  symlinkSync(join(PACKAGE_ROOT, "node_modules"), join(root, "node_modules"));
  return root;
}

function run(root: string, args: readonly string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(root, "bin/trace-socket.js"), ...args], { cwd: root, env: { ...process.env, CI: "1" }, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d));
    child.stderr.on("data", (d: Buffer) => (stderr += d));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

afterAll(() => {
  for (const root of made) rmSync(root, { recursive: true, force: true });
});

describe("a broken built-in scenario folder", () => {
  it("bad JSON: every command says which file in one line and exits 2", async () => {
    const root = packageWith("bad-json");
    for (const args of [["--help"], ["lessons"], ["--no-interactive"], ["export", "-o", join(root, "out.md")]]) {
      const { code, stderr } = await run(root, args);
      expect(stderr, args.join(" ")).toMatch(/^trace-socket: traces\/bad-json\/steps\.json: .*JSON.*\n$/);
      expect(stderr).not.toMatch(/\n\s+at /);
      expect(code, args.join(" ")).toBe(2);
    }
  });

  it("a field failing the schema: the file and the field", async () => {
    const root = packageWith("bad-field");
    const { code, stderr } = await run(root, ["lessons"]);
    expect(stderr).toBe("trace-socket: traces/bad-field/steps.json: steps[0].anchor: expected a string, found 3\n");
    expect(code).toBe(2);
  });

  it("a claims.json failing its vocabulary: the file and the field, as for the other files", async () => {
    const root = packageWith("bad-claims");
    for (const args of [["lessons"], ["--no-interactive"]]) {
      const { code, stderr } = await run(root, args);
      expect(stderr, args.join(" ")).toBe("trace-socket: traces/bad-claims/claims.json: boot[0].say: expected the sentence as a string\n");
      expect(code, args.join(" ")).toBe(2);
    }
  });

  it("an anchor that is not in the program: the step's field, before anything runs", async () => {
    const root = packageWith("bad-anchor");
    const { code, stderr } = await run(root, ["--no-interactive", "--scenario", "bad-anchor"]);
    expect(stderr).toBe('trace-socket: traces/bad-anchor/steps.json: steps[0].anchor: "createSever(" is not in server.mjs\n');
    expect(code).toBe(2);
  });
});
