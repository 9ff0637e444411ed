/**
 * What every exported report of a built-in scenario must be, however it was made (the stepper's
 * `e`, a headless `export`): a section per step of the scenario and none more, no claim the run
 * did not see or could not decide, lint-clean, and every table's rows as wide as its header.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect } from "vitest";
import { loadScenario } from "../../src/trace/scenario.js";
import { lintMarkdown, markdownStructure } from "../export/markdown-check.js";
import { runCli, type CliResult } from "./cli.js";

/** Asserts that `report` is the whole, clean report of scenario `name`. */
export async function expectWholeReport(name: string, report: string): Promise<void> {
  const steps = loadScenario(name).steps;
  steps.forEach((step, i) => expect(report).toMatch(new RegExp(`^## Step ${i + 1} — ${step.id}$`, "m")));
  expect(report).not.toMatch(new RegExp(`^## Step ${steps.length + 1} `, "m"));
  // A claim the run did not see (or could not decide) is printed under these labels.
  expect(report).not.toContain("not seen on this run");
  expect(report).not.toContain("checked in a later step");
  expect(await lintMarkdown(report)).toEqual([]);
  for (const table of (await markdownStructure(report)).tables) expect(new Set(table.rows).size, `table at line ${table.line}`).toBe(1);
}

/**
 * `trace-socket export --scenario NAME --offline -o <file>` run for real by the built binary, headless
 * (no terminal), and the report it wrote (empty when it wrote none); the file's folder is removed after.
 */
export async function exportHeadless(name: string, args: readonly string[] = []): Promise<CliResult & { readonly report: string }> {
  const dir = mkdtempSync(join(tmpdir(), `trace-socket-export-${name}-`));
  try {
    const output = join(dir, "REPORT.md");
    const result = await runCli(["export", "--scenario", name, "--offline", "-o", output, ...args]);
    return { ...result, report: existsSync(output) ? readFileSync(output, "utf8") : "" };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
