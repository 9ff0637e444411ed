/**
 * What the story pane shows for the selected step: its line of user code, its
 * narration, the HTTP listeners it took over, its own work apart from the
 * background traffic. Pure.
 */
import { CLAIM_LABEL, claimLines } from "../claims/claim-lines.js";
import { duration } from "../export/text.js";
import type { Step } from "../trace/model.js";
import type { LaneCounts } from "./step-lane-view.js";
import { sanitize, wrap } from "../export/text-fit.js";
import type { Line } from "./theme.js";
import type { PlannedStep } from "./trace-source.js";

/** Lines for step `index` (recorded as `step`, or only planned), `width` columns wide. */
export function stepLines(index: number, step: Step | undefined, planned: PlannedStep | undefined, counts: LaneCounts | undefined, width: number): Line[] {
  if (!step) {
    if (!planned) return [{ text: "Press → to run the first step.", tone: "dim" }];
    return [
      { text: sanitize(`${index + 1}. ${planned.title}`), tone: "heading" },
      { text: "Not run yet: press → to run it live.", tone: "dim" },
    ];
  }
  const out: Line[] = [{ text: sanitize(`${index + 1}. ${step.title}`), tone: "heading" }];
  if (step.code) {
    out.push({ text: step.code.side === "stepper" ? "from the stepper (a), run in the server:" : `${step.code.file}:${step.code.line} (${step.code.side})`, tone: "link" });
    out.push(...wrap(step.code.text, width, "  ").map((text) => ({ text, tone: "code" as const })));
  } else {
    out.push({ text: "no user code: the library acts on its own", tone: "dim" });
  }
  out.push({ text: "" });
  out.push(...wrap(step.explanation, width).map((text) => ({ text })));
  for (const claim of claimLines(step.claims)) {
    out.push({ text: "" }, ...wrap(`${CLAIM_LABEL[claim.kind]}: ${claim.text}`, width).map((text) => ({ text, tone: claim.kind === "not-seen" ? ("warn" as const) : ("dim" as const) })));
    out.push(...wrap(`(${claim.reason})`, width, "  ").map((text) => ({ text, tone: "dim" as const })));
  }
  if (step.listeners) {
    out.push({ text: "" }, { text: "HTTP server listeners, before → after:", tone: "heading" });
    for (const event of ["request", "upgrade"]) {
      const before = (step.listeners.before[event] ?? []).join(", ") || "(none)";
      const after = (step.listeners.after[event] ?? []).join(", ") || "(none)";
      out.push(...wrap(`${event}: ${before}`, width, "    ").map((text) => ({ text, tone: "dim" as const })));
      out.push(...wrap(`  → ${after}`, width, "    ").map((text) => ({ text })));
    }
  }
  if (counts) out.push({ text: "" }, ...laneLines(counts, width));
  return out;
}

const plural = (n: number, word: string): string => `${n.toLocaleString("en-US")} ${word}${n === 1 ? "" : "s"}`;

function laneLines(counts: LaneCounts, width: number): Line[] {
  const work = counts.workMs === undefined ? "no work of its own" : `own work ${duration(counts.workMs)}`;
  const out: Line[] = wrap(`${work} · ${plural(counts.calls, "call")} · ${plural(counts.frames, "frame")}`, width, "  ").map((text) => ({ text, tone: "dim" as const }));
  if (counts.backgroundCalls || counts.backgroundFrames) {
    const background = `background while open (${duration(counts.openMs)}): ${plural(counts.backgroundFrames, "frame")}, ${plural(counts.backgroundCalls, "call")} — heartbeats and what they set off · b shows them`;
    out.push(...wrap(background, width, "  ").map((text) => ({ text, tone: "dim" as const })));
  }
  return out;
}
