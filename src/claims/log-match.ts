/**
 * The `log` check: a line the traced server (`server`: its stdout) or the
 * built-in client (`client`) printed, in the step or anywhere in the run.
 * What the client sees is only in what it prints: it runs untraced, so a
 * lesson's client says what it saw (an ack's error, `socket.recovered`) and
 * this check reads it.
 */
import type { LogLine, Step, Trace } from "../trace/model.js";
import type { Scope } from "../trace/claims-spec.js";

/** The log source each `log` value reads. */
const SOURCES = { server: "stdout", client: "client" } as const satisfies Record<string, LogLine["source"]>;

/** Who printed a line a `log` check looks for. */
export type LogSide = keyof typeof SOURCES;

/**
 * The lines of `side` printed while `step` was the current step (from its
 * start to the next step's; the last step's runs to the end), or in the whole
 * run.
 */
export function linesOf(trace: Trace, step: Step, side: LogSide, scope: Scope | undefined): LogLine[] {
  const source = SOURCES[side];
  const lines = trace.logs.filter((l) => l.source === source);
  if (scope === "whole-run") return lines;
  const next = trace.steps.find((s) => s.index > step.index);
  const end = next ? next.started : Infinity;
  return lines.filter((l) => l.time >= step.started && l.time < end);
}
