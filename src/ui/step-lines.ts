/**
 * What the source pane shows while the steps pane has the focus: the step's
 * line of user code, its narration, the HTTP listeners it took over. Pure.
 */
import { countCalls } from "../trace/call-tree.js";
import type { Step } from "../trace/model.js";
import { sanitize, wrap } from "./text-fit.js";
import type { Line } from "./theme.js";
import type { PlannedStep } from "./trace-source.js";

/** Lines for step `index` (recorded as `step`, or only planned), `width` columns wide. */
export function stepLines(index: number, step: Step | undefined, planned: PlannedStep | undefined, frames: number, width: number): Line[] {
  if (!step) {
    if (!planned) return [{ text: "Press → to run the first step.", tone: "dim" }];
    return [
      { text: sanitize(`${index + 1}. ${planned.title}`), tone: "heading" },
      { text: "Not run yet: press → to run it live.", tone: "dim" },
    ];
  }
  const out: Line[] = [{ text: sanitize(`${index + 1}. ${step.title}`), tone: "heading" }];
  if (step.code) {
    out.push({ text: `${step.code.file}:${step.code.line} (${step.code.side})`, tone: "link" });
    out.push(...wrap(step.code.text, width, "  ").map((text) => ({ text, tone: "code" as const })));
  } else {
    out.push({ text: "no user code: the library acts on its own", tone: "dim" });
  }
  out.push({ text: "" });
  out.push(...wrap(step.explanation, width).map((text) => ({ text })));
  if (step.listeners) {
    out.push({ text: "" }, { text: "HTTP server listeners, before → after:", tone: "heading" });
    for (const event of ["request", "upgrade"]) {
      const before = (step.listeners.before[event] ?? []).join(", ") || "(none)";
      const after = (step.listeners.after[event] ?? []).join(", ") || "(none)";
      out.push(...wrap(`${event}: ${before}`, width, "    ").map((text) => ({ text, tone: "dim" as const })));
      out.push(...wrap(`  → ${after}`, width, "    ").map((text) => ({ text })));
    }
  }
  const calls = countCalls(step.calls);
  out.push({ text: "" }, { text: `${calls} call${calls === 1 ? "" : "s"} · ${frames} frame${frames === 1 ? "" : "s"}`, tone: "dim" });
  return out;
}
