/**
 * Why an answer is the answer: the claim of the step that speaks of the frame
 * or call (held on this run, so it is a fact of the run, not a guess) and the
 * call that wrote the frame or made the call. Pure.
 */
import type { ClaimResult, FunctionInfo, Step } from "../../trace/model.js";
import type { CallIndex } from "../call-index.js";

/** A call as an answer's reason names it. */
export interface CallRef {
  readonly seq: number;
  readonly name: string;
  readonly file?: string;
  readonly line?: number;
}

/** The reason attached to an answer. */
export interface PredictReason {
  /** The held claim of the step that speaks of it, when one does. */
  readonly claim?: string;
  /** The call that wrote the frame (out), that the frame started (in), or the call itself. */
  readonly call?: CallRef;
  /** How that call relates to the answer: wrote it, read it, or is it. */
  readonly role?: "wrote" | "read" | "is";
  /** The caller of the call, for a call question. */
  readonly caller?: CallRef;
}

/** A call of the trace by sequence number, named and placed. */
export function callRef(functions: ReadonlyMap<number, FunctionInfo>, index: CallIndex, seq: number): CallRef {
  const call = index.calls.get(seq);
  const fn = call ? functions.get(call.node.fn) : undefined;
  return { seq, name: index.nameOf(seq), ...(fn ? { file: fn.file, line: fn.line } : {}) };
}

/** True when `text` names `token` as a word of its own (`41` in "sends 41 (DISCONNECT)", not in "4100"). */
function mentions(text: string, token: string): boolean {
  const escaped = token.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  return new RegExp(`(^|[^\\w])${escaped}($|[^\\w])`).test(text);
}

/**
 * The held claim of `step` that speaks of call `seq`: one whose evidence is
 * that call, else one whose sentence names one of `tokens` (the packet's
 * text or type, the function's name), else one whose evidence is a call it
 * ran under. Undefined when no claim of the step speaks of it.
 */
export function claimFor(step: Step, index: CallIndex, seq: number | undefined, tokens: readonly string[]): string | undefined {
  const held: readonly ClaimResult[] = (step.claims ?? []).filter((c) => c.status === "held");
  const byEvidence = seq === undefined ? undefined : held.find((c) => c.evidence?.includes(seq));
  const byText = held.find((c) => tokens.some((t) => t.length > 1 && mentions(c.text, t)));
  const byAncestor = seq === undefined ? undefined : held.find((c) => c.evidence?.some((e) => index.isWithin(seq, e)));
  return (byEvidence ?? byText ?? byAncestor)?.text;
}
