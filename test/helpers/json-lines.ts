/**
 * The lines of a `--json` run as the e2e tests read them: one loose shape for every line type,
 * with the call trees of steps, so each test does not declare its own.
 */
import type { Step, TurnRepeat } from "../../src/trace/model.js";
import { TurnList } from "../../src/trace/turn-list.js";
import { expandTurns } from "../../src/trace/turns.js";

/** One call of a step's call tree. */
export interface CallLine {
  readonly seq: number;
  readonly fn: number;
  readonly children: readonly CallLine[];
}

/** Any JSON line: `meta`, `function`, `step`, `chunk`, `log`…; only the fields of its type are set. */
export interface TraceLine {
  readonly type: string;
  readonly id?: number | string;
  readonly name?: string;
  readonly pkg?: string;
  readonly file?: string;
  readonly line?: number;
  readonly packages?: Record<string, string>;
  readonly calls?: readonly CallLine[];
  /** A step's folded turns: repeats of one of `calls`, whose calls only {@link stepCalls} gives back. */
  readonly turns?: readonly TurnRepeat[];
  readonly claims?: readonly { readonly text: string; readonly status: string }[];
  readonly code?: { readonly file: string; readonly line: number; readonly text?: string };
  /** A step's title and narration. */
  readonly title?: string;
  readonly explanation?: string;
  /** A log line's source (`stdout`, `stderr`, `client`) and text. */
  readonly source?: string;
  readonly text?: string;
  readonly dir?: string;
  readonly data?: string;
  readonly call?: number;
  readonly callEnd?: number;
  readonly conn?: number;
  readonly outgoing?: boolean;
}

/** The JSON lines of a run's stdout. */
export function traceLines(stdout: string): TraceLine[] {
  return stdout.trim().split("\n").map((l) => JSON.parse(l) as TraceLine);
}

/**
 * Every root call of a step line, its folded turns expanded back into trees: a call inside a turn
 * that repeated an earlier one is not under `calls`, so a test that looks for a call walks these.
 */
export function stepCalls(step: TraceLine): readonly CallLine[] {
  return expandTurns({ calls: (step.calls ?? []) as Step["calls"], ...(step.turns ? { turns: TurnList.from(step.turns) } : {}) });
}

/** `name (pkg)` of every call in `calls`, depth first: a call path as a test reads it. */
export function callNames(calls: readonly CallLine[], functions: ReadonlyMap<number, TraceLine>): string[] {
  return calls.flatMap((call) => {
    const fn = functions.get(call.fn);
    return [`${fn?.name} (${fn?.pkg})`, ...callNames(call.children, functions)];
  });
}

/** The chain of calls from a root of `steps` (folded turns expanded) down to the call `seq`, or undefined. */
export function pathTo(steps: readonly TraceLine[], seq: number): CallLine[] | undefined {
  const walk = (calls: readonly CallLine[], above: CallLine[]): CallLine[] | undefined => {
    for (const call of calls) {
      const path = [...above, call];
      if (call.seq === seq) return path;
      const found = walk(call.children, path);
      if (found) return found;
    }
    return undefined;
  };
  for (const step of steps) {
    const found = walk(stepCalls(step), []);
    if (found) return found;
  }
  return undefined;
}
