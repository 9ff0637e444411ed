/**
 * What predict mode's questions are made of, and what every question of one
 * trace shares (its decoded frames by step, its call index). Pure.
 */
import type { FunctionInfo, Step, Trace } from "../../trace/model.js";
import { messagesOf } from "../../wire/decode-chunks.js";
import { laneView } from "../../wire/heartbeat-lanes.js";
import type { WireMessage } from "../../wire/types.js";
import { indexCalls, type CallIndex } from "../call-index.js";
import type { PacketLayer } from "./packet-choices.js";
import type { PredictReason } from "./reasons.js";
import { drawFromTiers, shuffled, type Random } from "./seeded.js";

/** One choice of a question: what is shown, and what it means (shown with the answer). */
export interface PredictChoice {
  readonly text: string;
  /** `Engine.IO open`, `Socket.IO ACK, ack id 0`, or a function's place. */
  readonly gloss: string;
}

/** A question about a step. */
export interface PredictQuestion {
  readonly kind: "frame" | "call";
  readonly step: number;
  readonly title: string;
  /** The step's line of user code, when it has one. */
  readonly code?: string;
  readonly prompt: string;
  /** What the reader knows so far: the frame before, or the path so far. */
  readonly context: readonly string[];
  readonly choices: readonly PredictChoice[];
  /** Index of the right choice. */
  readonly answer: number;
  readonly why: PredictReason;
  /** The layer a frame question is asked at. */
  readonly layer?: PacketLayer;
}

/** A step no question is asked about, and why. */
export interface PredictSkip {
  readonly kind: "skip";
  readonly step: number;
  readonly title: string;
  readonly reason: string;
}

/** What a step gives predict mode. */
export type StepPrediction = PredictQuestion | PredictSkip;

/** How questions are made. */
export interface PredictOptions {
  /** The seed the choices are drawn and shuffled with (default 1). */
  readonly seed?: number;
  /** How many choices at most, the right one included (default 4, the keys 1–4). */
  readonly choices?: number;
}

/** What the questions of one trace share: its decoded frames by step and its call index. */
export interface PredictContext {
  readonly trace: Trace;
  readonly messages: readonly WireMessage[];
  readonly byStep: ReadonlyMap<number, readonly WireMessage[]>;
  readonly index: CallIndex;
  /** The trace's functions by id. */
  readonly functions: ReadonlyMap<number, FunctionInfo>;
}

/** Prepares `trace` for questions; `messages` when the caller already decoded its chunks. */
export function predictContext(trace: Trace, messages: readonly WireMessage[] = messagesOf(trace.chunks)): PredictContext {
  const stepOf = new Map<number, number>();
  for (const step of trace.steps) for (const seq of step.chunks) stepOf.set(seq, step.index);
  const byStep = new Map<number, WireMessage[]>();
  for (const message of messages) {
    const at = stepOf.get(message.firstChunk);
    if (at !== undefined) byStep.set(at, [...(byStep.get(at) ?? []), message]);
  }
  return { trace, messages, byStep, index: indexCalls(trace), functions: new Map(trace.functions.map((f) => [f.id, f])) };
}

/** The step's own lane: its frames and calls without the heartbeats that arrived while it stayed open. */
export function ownLane(ctx: PredictContext, step: Step): ReturnType<typeof laneView>["own"] {
  return laneView(step, ctx.byStep.get(step.index) ?? []).own;
}

/** Which way a frame went, as the questions say it. */
export const ARROW = { in: "client → server", out: "server → client" } as const;

/** Up to `count` choices, the real one among them, shuffled; the index of the real one. */
export function withNeighbours(real: string, tiers: readonly (readonly string[])[], count: number, random: Random): { texts: string[]; answer: number } {
  const texts = shuffled([real, ...drawFromTiers(tiers, count - 1, new Set([real]), random)], random);
  return { texts, answer: texts.indexOf(real) };
}
