/**
 * The built binary, headless: what a user sees when stdout is not a terminal.
 */
import { describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli.js";

describe("trace-socket --no-interactive", () => {
  it("prints the eight steps with code, call tree and frames, and exits 0", async () => {
    const { code, stdout, stderr } = await runCli(["--no-interactive"]);
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

  it("is chosen on its own when stdout is not a terminal", async () => {
    const { code, stdout } = await runCli([]);
    expect(code).toBe(0);
    expect(stdout).toContain("Step 8/8");
  });

  it("--json prints JSON lines with a schema version", async () => {
    const { code, stdout } = await runCli(["--json"]);
    expect(code).toBe(0);
    const records = stdout.trim().split("\n").map((line) => JSON.parse(line) as { type: string; schema?: string; version?: number });
    expect(records[0]).toMatchObject({ type: "meta", schema: "trace-socket", version: 1 });
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
