/**
 * TypeScript entries, run through tsx as TS users run them: the steps are at
 * the `.ts` lines (source maps moved along the instrumentation), and the app's
 * own handlers are in the call paths at their `.ts` lines.
 */
import { describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli.js";

interface Line {
  readonly type: string;
  readonly id?: string | number;
  readonly pkg?: string;
  readonly name?: string;
  readonly line?: number;
  readonly code?: { file: string; line: number };
  readonly calls?: readonly CallLine[];
}
interface CallLine {
  readonly fn: number;
  readonly children: readonly CallLine[];
}

function ran(calls: readonly CallLine[], fn: number): boolean {
  return calls.some((c) => c.fn === fn || ran(c.children, fn));
}

describe("trace-socket server.ts", () => {
  for (const [entry, lines, handlerLine] of [
    ["typescript/server.ts", { init: 14, handlers: 16, run: 23 }, 18],
    ["typescript-cjs/server.cts", { init: 8, handlers: 9, run: 12 }, 10],
  ] as const) {
    it(`${entry}: steps at the .ts lines, the app's handler in the emit's call path`, async () => {
      const { code, stdout, stderr } = await runCli([`test/fixtures/apps/${entry}`, "--json", "--emit", 'echo={"text":"hi"}']);
      expect(code, stderr).toBe(0);
      const parsed = stdout.trim().split("\n").map((l) => JSON.parse(l) as Line);
      const steps = parsed.filter((l) => l.type === "step");
      for (const [id, line] of Object.entries(lines)) expect(steps.find((s) => s.id === id)?.code, id).toMatchObject({ file: `test/fixtures/apps/${entry}`, line });
      const handler = parsed.find((l) => l.type === "function" && l.pkg === "app" && /echo listener/.test(l.name ?? ""));
      expect(handler?.line).toBe(handlerLine);
      expect(ran(steps.find((s) => s.id === "emit")?.calls ?? [], handler!.id as number)).toBe(true);
    });
  }
});
