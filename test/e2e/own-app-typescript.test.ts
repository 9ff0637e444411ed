/**
 * TypeScript entries, run through tsx as TS users run them: the steps are at
 * the `.ts` lines (source maps moved along the instrumentation), and the app's
 * own handlers are in the call paths at their `.ts` lines. And under the user's own loader
 * (`node --import tsx`, or `NODE_OPTIONS`), nothing of the app's is lost.
 */
import { describe, expect, it } from "vitest";
import { runCli, runCliUnder } from "../helpers/cli.js";
import { stepCalls, type TraceLine } from "../helpers/json-lines.js";

interface Line {
  readonly type: string;
  readonly id?: string | number;
  readonly pkg?: string;
  readonly name?: string;
  readonly line?: number;
  readonly code?: { file: string; line: number };
  readonly calls?: readonly CallLine[];
  readonly turns?: unknown;
}
interface CallLine {
  readonly fn: number;
  readonly children: readonly CallLine[];
}

function ranIn(calls: readonly CallLine[], fn: number): boolean {
  return calls.some((c) => c.fn === fn || ranIn(c.children, fn));
}

/** Whether `fn` ran in `step`, its folded turns (`× N like this`) included. */
function ran(step: Line | undefined, fn: number): boolean {
  return step !== undefined && ranIn(stepCalls(step as unknown as TraceLine), fn);
}

describe("trace-socket server.ts", () => {
  for (const [entry, lines, handlerLine] of [
    ["typescript/server.ts", { init: 14, handlers: 16, run: 23 }, 18],
    ["typescript-cjs/server.cts", { load: 3, init: 8, handlers: 9, run: 12 }, 10],
  ] as const) {
    it(`${entry}: steps at the .ts lines, the app's handler in the emit's call path`, async () => {
      const { code, stdout, stderr } = await runCli([`test/fixtures/apps/${entry}`, "--json", "--emit-ack", 'echo={"text":"hi"}']);
      expect(code, stderr).toBe(0);
      const parsed = stdout.trim().split("\n").map((l) => JSON.parse(l) as Line);
      const steps = parsed.filter((l) => l.type === "step");
      // Each step has an id of its own.
      expect(new Set(steps.map((s) => s.id)).size).toBe(steps.length);
      for (const [id, line] of Object.entries(lines)) expect(steps.find((s) => s.id === id)?.code, id).toMatchObject({ file: `test/fixtures/apps/${entry}`, line });
      const handler = parsed.find((l) => l.type === "function" && l.pkg === "app" && /echo listener/.test(l.name ?? ""));
      expect(handler?.line).toBe(handlerLine);
      expect(ran(steps.find((s) => s.id === "emit"), handler!.id as number)).toBe(true);
    });
  }

  it("server.cts: tsx's module wrapper is compiler glue, not a step: the first step is the first import, and every app function not glue is at a line of the .cts", async () => {
    const { code, stdout, stderr } = await runCli(["test/fixtures/apps/typescript-cjs/server.cts", "--json"]);
    expect(code, stderr).toBe(0);
    const parsed = parse(stdout);
    expect(parsed.find((l) => l.type === "step")?.code).toMatchObject({ line: 3 });
    const app = parsed.filter((l) => l.type === "function" && l.pkg === "app") as (Line & { generated?: boolean })[];
    expect(app.filter((f) => f.generated).map((f) => f.name)).toEqual(["<anonymous IIFE in server.cts>"]);
    expect(app.filter((f) => !f.generated).map((f) => f.line)).toEqual([9, 10]);
  });
});


function parse(stdout: string): Line[] {
  return stdout.trim().split("\n").map((l) => JSON.parse(l) as Line);
}

describe("trace-socket under the app's own loader (--import tsx)", () => {
  const APP = "test/fixtures/apps/import-tsx/server.js";
  const EMIT = ["--json", "--emit-ack", 'shout={"text":"hi"}'];

  for (const [how, run] of [
    ["node --import tsx trace-socket", () => runCliUnder(["--import", "tsx"], [APP, ...EMIT])],
    ["NODE_OPTIONS=--import=tsx", () => runCliUnder([], [APP, ...EMIT], { NODE_OPTIONS: "--import=tsx" })],
  ] as const) {
    it(`${how}: a JavaScript entry with TypeScript handlers keeps their steps and handlers at the .ts lines`, async () => {
      const { code, stdout, stderr } = await run();
      expect(code, stderr).toBe(0);
      const parsed = parse(stdout);
      const steps = parsed.filter((l) => l.type === "step");
      expect(steps.find((s) => s.id === "handlers")?.code).toMatchObject({ file: "test/fixtures/apps/import-tsx/handlers.ts", line: 8 });
      const handler = parsed.find((l) => l.type === "function" && l.pkg === "app" && /shout listener/.test(l.name ?? ""));
      expect(handler?.line).toBe(9);
      expect(ran(steps.find((s) => s.id === "emit"), handler!.id as number)).toBe(true);
    });
  }

  it("a TypeScript entry under NODE_OPTIONS=--import=tsx (tsx twice: the user's and trace-socket's) keeps its handler", async () => {
    const { code, stdout, stderr } = await runCliUnder([], ["test/fixtures/apps/typescript/server.ts", "--json", "--emit-ack", 'echo={"text":"hi"}'], { NODE_OPTIONS: "--import=tsx" });
    expect(code, stderr).toBe(0);
    const parsed = parse(stdout);
    const handler = parsed.find((l) => l.type === "function" && l.pkg === "app" && /echo listener/.test(l.name ?? ""));
    expect(handler?.line).toBe(18);
    expect(ran(parsed.find((l) => l.type === "step" && l.id === "emit"), handler!.id as number)).toBe(true);
  });

  it("without the loader the app fails as it would bare, said in one line, exit 1", async () => {
    const { code, stderr, stdout } = await runCli([APP]);
    expect(code).toBe(1);
    expect(stderr).toMatch(/(^|\n)trace-socket: the traced app threw: TypeError \[ERR_UNKNOWN_FILE_EXTENSION\]: Unknown file extension "\.ts" for .*handlers\.ts\n/);
    expect(stdout).toMatch(/\nrun stopped: the traced app threw: TypeError \[ERR_UNKNOWN_FILE_EXTENSION\][^\n]*handlers\.ts\n/);
  });
});
