/**
 * The built binary in predict mode without a terminal: a headless run prints
 * the worksheet (real markdownlint passes on it), `export --predict` writes it
 * from a trace file the same for the same seed, and bad combinations of flags
 * are one line and exit 2.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli.js";
import { lintMarkdown } from "../export/markdown-check.js";

const dir = mkdtempSync(join(tmpdir(), "trace-socket-predict-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("trace-socket --predict, headless", () => {
  it("prints the chat's worksheet, questions first and the answer key at the end, and it lints clean", async () => {
    const { code, stdout, stderr } = await runCli(["--predict", "--no-interactive", "--seed", "5"]);
    expect(code, stderr).toBe(0);
    expect(stdout.startsWith("# Predict the next frame: chat\n")).toBe(true);
    expect(stdout.match(/^## Step \d\/8 · /gm)).toHaveLength(8);
    expect(stdout.match(/^### Step \d\/8 · /gm)).toHaveLength(8);
    expect(stdout.indexOf("## Answer key")).toBeGreaterThan(stdout.lastIndexOf("**Question.**"));
    expect(stdout).toMatch(/^\d\. `0\{"sid":"[\w-]{20}","upgrades":\["websocket"\]/m);
    expect(stdout).toContain("seed 5");
    // Not the text of every step: the worksheet stands in for it.
    expect(stdout).not.toContain("━━ Step");
    expect(await lintMarkdown(stdout)).toEqual([]);
  }, 120_000);

  it("export --predict --from a trace file writes the same sheet for the same seed, another for another", async () => {
    const trace = join(dir, "trace.json");
    expect((await runCli(["export", "--format", "json", "-o", trace])).code).toBe(0);
    const sheet = async (seed: string, name: string): Promise<string> => {
      const output = join(dir, name);
      const { code, stdout, stderr } = await runCli(["export", "--predict", "--seed", seed, "--from", trace, "-o", output]);
      expect(code, stderr).toBe(0);
      expect(stdout).toMatch(new RegExp(`^wrote .*${name} \\(`));
      return readFileSync(output, "utf8");
    };
    const [one, again, other] = [await sheet("9", "a.md"), await sheet("9", "b.md"), await sheet("10", "c.md")];
    expect(again).toBe(one);
    expect(other).not.toBe(one);
    expect(one).toContain("## Answer key");
    expect(await lintMarkdown(one)).toEqual([]);
  }, 120_000);

  it.each([
    [["--predict", "--json"], /--predict .* no --json form/],
    [["--predict", "--compare"], /--predict .* --compare/],
    [["export", "--predict", "--format", "json"], /no --format json/],
    [["--seed", "3", "--no-interactive"], /--seed .* needs --predict/],
  ])("%j is one line and exit 2", async (args, message) => {
    const { code, stdout, stderr } = await runCli(args);
    expect(code).toBe(2);
    expect(stdout).toBe("");
    expect(stderr.trim().split("\n")).toHaveLength(1);
    expect(stderr).toMatch(message);
  });
});
