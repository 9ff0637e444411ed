/**
 * `--help` ends with examples; every flag and subcommand they use must exist,
 * so the examples cannot drift from the options they teach.
 */
import { describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli.js";

describe("trace-socket --help", () => {
  it("shows examples that use only real flags and subcommands", async () => {
    const { code, stdout } = await runCli(["--help"]);
    expect(code).toBe(0);
    const [options, examples] = stdout.split("\nExamples:\n");
    expect(examples).toBeDefined();
    const commands = (await runCli(["export", "--help"])).stdout + (await runCli(["replay", "--help"])).stdout;
    const known = options + commands;
    const lines = examples.trim().split("\n").map((l) => l.trim());
    expect(lines.length).toBeGreaterThanOrEqual(5);
    for (const line of lines) {
      expect(line.startsWith("trace-socket"), line).toBe(true);
      // Flags after an app's `--` are the app's own.
      const ours = line.split(" -- ")[0];
      for (const flag of ours.match(/(?<=\s)--?[a-z][\w-]*/g) ?? []) expect(known, `${flag} in "${line}"`).toMatch(new RegExp(`(^|[\\s,])${flag}\\b`, "m"));
      const sub = /^trace-socket (export|replay)\b/.exec(ours)?.[1];
      if (sub) expect(options).toMatch(new RegExp(`^\\s+${sub}\\b`, "m"));
    }
  });
});
