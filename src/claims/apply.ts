/**
 * Putting a scenario's claims on its trace: each step's narration becomes the
 * sentences this run showed (and those no run could show, marked as such);
 * what was not seen is kept apart with the reason, never printed as fact.
 */
import type { Step, Trace } from "../trace/model.js";
import { messagesOf } from "../wire/decode-chunks.js";
import type { WireMessage } from "../wire/types.js";
import { indexCalls } from "./call-index.js";
import { evaluateStepClaims } from "./evaluate.js";
import type { ClaimResult, ClaimsFile, LineReader } from "../trace/claims-spec.js";

/**
 * The narration of a step made of its claims: the sentences this run showed.
 * Those no run can check are shown apart, marked as such (see {@link claimLines}).
 */
export function narrationOf(claims: readonly ClaimResult[]): string {
  return claims.filter((c) => c.status === "held").map((c) => c.text).join(" ");
}

/** How {@link withClaims} evaluates. */
export interface ApplyOptions {
  /** The trace's chunks already decoded, when the caller has them. */
  readonly messages?: readonly WireMessage[];
  /** The run is over (default): claims about the whole run are decided. */
  readonly final?: boolean;
  /** Reads the traced files' source lines, for the checks on a call's line. */
  readonly readLine?: LineReader;
}

/**
 * Evaluates `claims` on `trace` and returns the trace with each claimed
 * step's `claims` set and its explanation rebuilt from them (run notes kept).
 * Steps without declared claims are returned as they are. `messages` may be
 * passed when the caller already decoded the chunks.
 */
export function withClaims(trace: Trace, claims: ClaimsFile, options: ApplyOptions = {}): Trace {
  if (!trace.steps.some((s) => claims[s.id]?.length)) return trace;
  const messages = options.messages ?? messagesOf(trace.chunks);
  const index = indexCalls(trace);
  const final = options.final ?? true;
  const steps = trace.steps.map((step): Step => {
    const specs = claims[step.id];
    if (!specs?.length) return step;
    const results = evaluateStepClaims(trace, messages, step, specs, { index, final, ...(options.readLine ? { readLine: options.readLine } : {}) });
    return { ...step, explanation: narrationOf(results) + notesOf(step), claims: results };
  });
  return { ...trace, steps };
}

/** The run notes an assembler appended to a step's explanation, `(…)` at its end. */
function notesOf(step: Step): string {
  const notes = step.notes ?? [];
  return notes.length ? ` (${notes.join("; ")})` : "";
}
