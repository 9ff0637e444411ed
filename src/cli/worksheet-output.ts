/**
 * Predict mode without a terminal: the finished trace's questions as a
 * markdown worksheet, for the headless run, `replay` and `export --predict`.
 * The predict modules load only when asked for.
 */
import type { Trace } from "../trace/model.js";

/** The worksheet of `trace` with choices drawn from `seed`; `stable` puts placeholders for sids and ports first, as the report's `--stable` does. */
export async function worksheetOf(trace: Trace, seed: number, stable = false): Promise<string> {
  const [{ predictAll }, { renderWorksheet }, { stabilize }] = await Promise.all([
    import("../claims/predict/questions.js"),
    import("../export/worksheet.js"),
    import("../export/stabilize.js"),
  ]);
  const shown = stable ? stabilize(trace) : trace;
  return renderWorksheet(shown, predictAll(shown, { seed }), { seed });
}
