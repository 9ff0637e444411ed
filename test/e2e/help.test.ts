/**
 * `--help` ends with examples; every flag and subcommand they use must exist,
 * so the examples cannot drift from the options they teach.
 */
import { describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli.js";
import { lessons, runnableScenarios } from "../../src/trace/lessons.js";

describe("trace-socket --help", () => {
  it("shows examples that use only real flags and subcommands", async () => {
    const { code, stdout } = await runCli(["--help"]);
    expect(code).toBe(0);
    const [options, rest] = stdout.split("\nExamples:\n");
    expect(rest).toBeDefined();
    const [examples] = rest.split("\nLessons ");
    const commands = (await runCli(["export", "--help"])).stdout + (await runCli(["replay", "--help"])).stdout;
    const known = options + commands;
    const lines = examples.trim().split("\n").map((l) => l.trim());
    expect(lines.length).toBeGreaterThanOrEqual(5);
    for (const line of lines) {
      expect(line.startsWith("trace-socket"), line).toBe(true);
      // Flags after an app's `--` are the app's own.
      const ours = line.split(" -- ")[0];
      for (const flag of ours.match(/(?<=\s)--?[a-z][\w-]*/g) ?? []) expect(known, `${flag} in "${line}"`).toMatch(new RegExp(`(^|[\\s,])${flag}\\b`, "m"));
      const sub = /^trace-socket (export|replay|lessons)\b/.exec(ours)?.[1];
      if (sub) expect(options).toMatch(new RegExp(`^\\s+${sub}\\b`, "m"));
    }
  });

  it("lists the lessons --scenario takes, read from their folders", async () => {
    const { stdout } = await runCli(["--help"]);
    const section = stdout.split("\nLessons (--scenario NAME; trace-socket lessons):\n")[1];
    expect(section).toBeDefined();
    for (const lesson of lessons()) expect(section, lesson.name).toMatch(new RegExp(`^  ${lesson.name}\\b`, "m"));
  });
});

describe("trace-socket lessons", () => {
  it("prints one line per lesson, the default chat first", async () => {
    const { code, stdout } = await runCli(["lessons"]);
    expect(code).toBe(0);
    const [own, across] = stdout.trimEnd().split("\n\nAcross servers (--scenario NAME):\n");
    const lines = own.split("\n");
    expect(lines.map((l) => l.split(/\s+/)[0])).toEqual(lessons().map((l) => l.name));
    // The scenarios of several servers are listed too, apart: --scenario runs them, they are no lesson of one server.
    expect(across?.split("\n").map((l) => l.split(/\s+/)[0]).sort()).toEqual(runnableScenarios().filter((s) => !lessons().some((l) => l.name === s.name)).map((s) => s.name).sort());
    expect(across).toMatch(/^redis\s+Two servers, one Redis/m);
    expect(lines[0]).toMatch(/^chat \(default\)\s+one connection's life/);
    expect(lines).toContain(lines.find((l) => l.startsWith("rooms "))!);
  });

  it("refuses an unknown --scenario in one line that names the known ones, exit 2", async () => {
    const { code, stdout, stderr } = await runCli(["--scenario", "romos", "--no-interactive"]);
    expect(code).toBe(2);
    expect(stdout).toBe("");
    const lines = stderr.trim().split("\n");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(`unknown scenario "romos": the scenarios are ${runnableScenarios().map((l) => l.name).join(", ")}`);
  });
});
