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
 * The lines of `side` printed since `step` began (to the end of the run:
 * another process's lines arrive on a pipe of their own, so a line the
 * client printed on this step's frames may come in after the next step
 * started), or in the whole run.
 */
export function linesOf(trace: Trace, step: Step, side: LogSide, scope: Scope | undefined): LogLine[] {
  const source = SOURCES[side];
  const lines = trace.logs.filter((l) => l.source === source);
  return scope === "whole-run" ? lines : lines.filter((l) => l.time >= step.started);
}
