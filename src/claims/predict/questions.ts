/**
 * Predict the next frame: from a step of a trace, before its frames are
 * shown, a question with a few choices — what comes next on the wire (the
 * step's first packet, among neighbours made from the protocol and the run),
 * or, in a step that puts no packet on the wire, what the next call in the
 * path is (among functions of the same package). Each answer carries its
 * reason: the step's claim that speaks of it and the call that wrote it.
 * Pure and deterministic given a seed; nothing here knows a scenario.
 */
import type { Step, Trace } from "../../trace/model.js";
import type { WireMessage } from "../../wire/types.js";
import { callQuestion } from "./call-question.js";
import { ARROW, ownLane, predictContext, withNeighbours, type PredictContext, type PredictOptions, type PredictQuestion, type StepPrediction } from "./context.js";
import { glossOf, packetNeighbours, textPackets } from "./packet-choices.js";
import { callRef, claimFor } from "./reasons.js";
import { seeded, stepSeed, type Random } from "./seeded.js";

export type { CallRef, PredictReason } from "./reasons.js";
export { predictContext, type PredictChoice, type PredictContext, type PredictOptions, type PredictQuestion, type PredictSkip, type StepPrediction } from "./context.js";

function frameQuestion(ctx: PredictContext, step: Step, own: readonly WireMessage[], count: number, random: Random): PredictQuestion | undefined {
  const at = own.findIndex((m) => textPackets(m).length > 0);
  if (at < 0) return undefined;
  const message = own[at];
  const real = textPackets(message)[0];
  const { texts, answer } = withNeighbours(real.text, packetNeighbours(real, ctx.messages), count, random);
  const before = own[at - 1];
  const context = before ? [`before it: ${before.raw.length > 72 ? `${before.raw.slice(0, 71)}…` : before.raw} (${ARROW[before.dir]})`] : ["it is the step's first frame"];
  const code = step.code?.text;
  const tokens = [real.text, real.text.slice(0, real.layer === "socket.io" ? 2 : 1)];
  const call = message.call !== undefined && ctx.index.calls.has(message.call) ? callRef(ctx.functions, ctx.index, message.call) : undefined;
  const claim = claimFor(step, ctx.index, message.call, tokens);
  const what = real.layer === "socket.io" ? "a Socket.IO packet" : "an Engine.IO packet";
  return {
    kind: "frame",
    step: step.index,
    title: step.title,
    ...(code ? { code } : {}),
    prompt: message.dir === "out" ? `What does the server write next on the wire (${what})?` : `What does the client send next on the wire (${what})?`,
    context,
    choices: texts.map((text) => ({ text, gloss: glossOf(text) })),
    answer,
    why: { ...(claim ? { claim } : {}), ...(call ? { call, role: message.dir === "out" ? ("wrote" as const) : ("read" as const) } : {}) },
    layer: real.layer,
  };
}

/**
 * The question of step `index` of the context's trace, or why there is none.
 *
 * @example
 * const ctx = predictContext(trace);
 * const q = predictStep(ctx, 4, { seed: 7 });
 * q.kind === "frame" && q.choices[q.answer].text; // '0{"sid":"…","upgrades":["websocket"],…}'
 */
export function predictStep(ctx: PredictContext, index: number, options: PredictOptions = {}): StepPrediction {
  const step = ctx.trace.steps[index];
  const count = Math.max(2, options.choices ?? 4);
  const random = seeded(stepSeed(options.seed ?? 1, index));
  const own = ownLane(ctx, step);
  const frame = frameQuestion(ctx, step, own.messages, count, random);
  if (frame) return frame;
  const call = callQuestion(ctx, step, own.calls, count, random);
  if (typeof call !== "string") return call;
  return { kind: "skip", step: index, title: step.title, reason: own.messages.length ? `its frames carry no text packet, and ${call}` : `it puts no frame on the wire, and ${call}` };
}

/** The question (or the reason for none) of every step of `trace`. */
export function predictAll(trace: Trace, options: PredictOptions = {}, messages?: readonly WireMessage[]): StepPrediction[] {
  const ctx = predictContext(trace, messages);
  return trace.steps.map((step) => predictStep(ctx, step.index, options));
}
