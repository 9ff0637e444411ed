/**
 * The traced process's `debug` lines (socket.io's own `DEBUG=…` output), by
 * the call that printed them and by step: a line belongs to the step whose
 * call trees hold its call, or, printed outside any traced call, to the step
 * that was open when it was printed. Pure.
 */
import type { LogLine, Step, Trace } from "./model.js";
import { forEachStepCall } from "./turns.js";

/** The `debug` lines of `logs` printed under a call, by its seq, in time order. */
export function debugByCall(logs: readonly LogLine[]): ReadonlyMap<number, readonly LogLine[]> {
  const out = new Map<number, LogLine[]>();
  for (const line of logs) {
    if (line.source !== "debug" || line.call === undefined) continue;
    const list = out.get(line.call);
    if (list) list.push(line);
    else out.set(line.call, [line]);
  }
  for (const list of out.values()) list.sort((a, b) => a.time - b.time);
  return out;
}

/** Index of the last step started at or before `time`, or -1. */
function openStep(steps: readonly Step[], time: number): number {
  let at = -1;
  for (let i = 0; i < steps.length && steps[i].started <= time; i++) at = i;
  return at;
}

/** The `debug` lines of the trace by step index, each step's in time order. */
export function debugByStep(trace: Pick<Trace, "steps" | "logs">): ReadonlyMap<number, readonly LogLine[]> {
  const lines = trace.logs.filter((l) => l.source === "debug");
  const out = new Map<number, LogLine[]>();
  if (!lines.length) return out;
  const stepOfCall = new Map<number, number>();
  for (const step of trace.steps) forEachStepCall(step, (seq) => stepOfCall.set(seq, step.index));
  for (const line of lines) {
    const index = (line.call !== undefined ? stepOfCall.get(line.call) : undefined) ?? trace.steps[openStep(trace.steps, line.time)]?.index;
    if (index === undefined) continue;
    const list = out.get(index);
    if (list) list.push(line);
    else out.set(index, [line]);
  }
  for (const list of out.values()) list.sort((a, b) => a.time - b.time);
  return out;
}
