/**
 * The stepper's first row as text: the scenario and the selected step on the left; on the right
 * what the source is doing (running, queued, live or replay), the last message, and what the
 * bounded buffers dropped, which stays in sight. Pure.
 */
import type { Step, Trace } from "../trace/model.js";
import type { HeaderProps } from "./status-line.js";
import type { UiState } from "./state.js";
import type { TraceSource } from "./trace-source.js";

/**
 * The header's texts and tone for `source` and `trace`, with step `step` (the selected one, when
 * run) selected; `alone`: the process shown alone (`v`), named before the step so it stays in sight.
 */
export function headerOf(source: TraceSource, trace: Trace, state: Pick<UiState, "selected" | "message">, step: Step | undefined, alone?: string): Pick<HeaderProps, "left" | "right" | "tone"> {
  const { plan } = source;
  // With the user's own clients, steps come as they act: no total, and the step's own title (the plan only has the live step).
  const title = step ? (source.openEnded ? `step ${state.selected + 1} ${step.title}` : `step ${state.selected + 1}/${plan.length} ${plan[state.selected]?.title ?? step.title}`) : `no step run yet · ${plan.length} planned`;
  const idle = source.kind === "live" ? `live · ${trace.meta.address ?? "not listening yet"}` : "replay";
  const note = source.failure ? `traced process died: ${source.failure.split("\n")[0]}` : state.message ?? source.error ?? source.status ?? idle;
  const queued = source.queued ? ` (+${source.queued} queued)` : "";
  const { calls: lostCalls, chunks: lostChunks } = trace.dropped;
  // Never silently lost: what the bounded buffers dropped stays in sight.
  const lost = lostCalls || lostChunks ? ` · dropped ${lostCalls} calls, ${lostChunks} frames` : "";
  const right = source.busy ? `⟳ running…${queued} · ${note}${lost}` : `${note}${queued}${lost}`;
  const tone = source.failure || source.error || lost ? "warn" : source.busy ? "busy" : "plain";
  return { left: `trace-socket · ${trace.meta.scenario}${alone ? ` · ${alone} only` : ""} · ${title}`, right, tone };
}
