/**
 * `trace-socket replay trace.json`: a recorded trace in the stepper, or
 * printed (text or JSON lines) when headless. No server runs.
 */
import { EXIT } from "../errors.js";
import type { View } from "../mode.js";
import { outputOf } from "../output.js";
import type { RunSettings } from "../settings.js";
import { printTrace } from "../trace-printer.js";
import { readTraceInput } from "../trace-input.js";
import { worksheetOf } from "../worksheet-output.js";

/** Replays the trace file at `file`; a missing, cut, foreign or newer file is a UsageError (one line, exit 2). */
export async function runReplay(file: string, view: View, settings: RunSettings): Promise<number> {
  const trace = await readTraceInput(file);
  if (view === "stepper") {
    const { runInteractive } = await import("../interactive.js");
    return runInteractive({ trace, color: settings.color, offline: settings.offline, ...(settings.predict ? { predict: settings.predict } : {}) });
  }
  if (settings.predict) await outputOf().write(await worksheetOf(trace, settings.predict.seed));
  else await printTrace(trace, view, settings.color, outputOf());
  return EXIT.ok;
}
