/**
 * The built binary, headless: what a user sees when stdout is not a terminal.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { PACKAGE_ROOT } from "../../src/trace/scenario.js";
import { runCli, type CliResult } from "../helpers/cli.js";

let headless: Promise<CliResult> | undefined;
/** One headless run shared by the tests that only read its output. */
function runHeadless(): Promise<CliResult> {
  headless ??= runCli(["--no-interactive"]);
  return headless;
}

/** `path:line` of the first line of an installed file that matches `declaration`. */
function declaredAt(path: string, declaration: RegExp): string {
  const index = readFileSync(join(PACKAGE_ROOT, path), "utf8").split("\n").findIndex((line) => declaration.test(line));
  expect(index, `${declaration} in ${path}`).toBeGreaterThanOrEqual(0);
  return `${path}:${index + 1}`;
}

/** The text of step `n` (1-based), up to the next step's heading. */
function stepText(stdout: string, n: number): string {
  return stdout.split(/^━━ Step /m).find((part) => part.startsWith(`${n}/`)) ?? "";
}

describe("trace-socket --no-interactive", () => {
  it("prints the eight steps with code, call tree and frames, and exits 0", async () => {
    const { code, stdout, stderr } = await runHeadless();
    expect(stderr).toBe("");
    expect(code).toBe(0);
    for (let i = 1; i <= 8; i++) expect(stdout).toContain(`Step ${i}/8`);
    expect(stdout).toMatch(/code {4}traces\/chat\/server\.mjs:\d+ {2}const io = new Server\(httpServer/);
    expect(stdout).toMatch(/^ {4}Server\.constructor {2}node_modules\/socket\.io\/dist\/index\.js:\d+$/m);
    expect(stdout).toMatch(/^ {6,}Server\.attach {2}node_modules\/engine\.io\/build\/server\.js:\d+$/m);
    expect(stdout).toContain("HTTP/1.1 101 Switching Protocols");
    expect(stdout).toMatch(/→ server {2}2probe/);
    expect(stdout).toContain('← server  42["chat message","hi"]');
    expect(stdout).toContain("· Socket.IO EVENT, nsp /, ack id 0");
  });

  it("quotes the library's doc comments under a step's narration, declared where the installed .d.ts says", async () => {
    const { stdout } = await runHeadless();
    const cors = declaredAt("node_modules/engine.io/build/server.d.ts", /^\s*cors\?:/);
    const init = stepText(stdout, 1);
    expect(init).toMatch(/^ {2}what {4}/m);
    expect(init).toContain(`option cors (engine.io ServerOptions, ${cors}; in this run {"origin":[`);
    expect(init).toMatch(/option cors \(.*\): the options that will be forwarded to the cors module$/m);
    expect(init.indexOf("  library ")).toBeGreaterThan(init.indexOf("  what    "));
    const use = declaredAt("node_modules/socket.io/dist/index.d.ts", /^\s*use\(fn:/);
    expect(stepText(stdout, 3)).toContain(`  library method Server.use (socket.io, ${use}): Registers a middleware`);
  });

  it("is chosen on its own when stdout is not a terminal", async () => {
    const { code, stdout } = await runCli([]);
    expect(code).toBe(0);
    expect(stdout).toContain("Step 8/8");
  });

  it("--json prints JSON lines with a schema version", async () => {
    const { code, stdout } = await runCli(["--json"]);
    expect(code).toBe(0);
    const records = stdout.trim().split("\n").map((line) => JSON.parse(line) as { type: string; schema?: string; version?: number });
    expect(records[0]).toMatchObject({ type: "meta", schema: "trace-socket", version: 2 });
    expect(records.filter((r) => r.type === "step")).toHaveLength(8);
    expect(records.filter((r) => r.type === "function").length).toBeGreaterThan(100);
  });

  it("rejects a bad flag with one readable line and exit 2", async () => {
    const { code, stderr, stdout } = await runCli(["--port", "nope"]);
    expect(code).toBe(2);
    expect(stdout).toBe("");
    expect(stderr.trim().split("\n")).toHaveLength(1);
    expect(stderr).toContain("--port");
  });
});
