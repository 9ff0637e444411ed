/**
 * Predict mode's state in the stepper, pure: which steps were asked (each
 * question frozen once shown, so a live heartbeat cannot change it under the
 * reader), what was answered, which steps were revealed after their answer,
 * and the score. The keys it takes while a question covers the panes.
 */
import type { PredictQuestion, StepPrediction } from "../claims/predict/questions.js";
import type { KeyInfo } from "./keymap.js";

/** A choice made, and whether it was the right one. */
export interface PredictAnswer {
  readonly chosen: number;
  readonly right: boolean;
}

/** Predict mode's state. */
export interface PredictState {
  readonly on: boolean;
  readonly seed: number;
  readonly asked: ReadonlyMap<number, StepPrediction>;
  readonly answers: ReadonlyMap<number, PredictAnswer>;
  /** Steps whose answer was read and whose frames are shown again. */
  readonly revealed: ReadonlySet<number>;
}

/** The score so far: right answers out of the questions answered. */
export interface PredictScore {
  readonly right: number;
  readonly answered: number;
}

/** Where the selected step stands in predict mode. */
export type PredictPhase =
  | { readonly kind: "none" }
  /** The step is still running: its question waits for all of it, and nothing of it is shown meanwhile. */
  | { readonly kind: "waiting"; readonly step: number }
  | { readonly kind: "asking"; readonly question: PredictQuestion }
  | { readonly kind: "answered"; readonly question: PredictQuestion; readonly answer: PredictAnswer };

/** Predict mode at the start: on with `--predict`. */
export function initialPredict(on: boolean, seed = 1): PredictState {
  return { on, seed, asked: new Map(), answers: new Map(), revealed: new Set() };
}

/** What covers step `step`'s panes now: its question, its answer, or nothing. */
export function phaseOf(state: PredictState, step: number): PredictPhase {
  const asked = state.on ? state.asked.get(step) : undefined;
  if (!asked || asked.kind === "skip" || state.revealed.has(step)) return { kind: "none" };
  const answer = state.answers.get(step);
  return answer ? { kind: "answered", question: asked, answer } : { kind: "asking", question: asked };
}

/** The state with `prediction` kept as step `step`'s question, unless one was kept already. */
export function withAsked(state: PredictState, step: number, prediction: StepPrediction): PredictState {
  if (state.asked.has(step)) return state;
  return { ...state, asked: new Map(state.asked).set(step, prediction) };
}

/** The score of every answer given. */
export function scoreOf(state: PredictState): PredictScore {
  const answers = [...state.answers.values()];
  return { right: answers.filter((a) => a.right).length, answered: answers.length };
}

/** What a key does to predict mode on step `step`, or undefined when predict mode lets the stepper have it. */
export function predictKey(state: PredictState, step: number, input: string, key: KeyInfo): PredictState | undefined {
  if (input === "P" && !key.ctrl && !key.meta) return { ...state, on: !state.on };
  const phase = phaseOf(state, step);
  if (phase.kind === "none") return undefined;
  // Quitting, interrupting and help stay the stepper's own keys, whatever covers the panes.
  if ((input === "q" && !key.ctrl) || (key.ctrl && input === "c") || input === "?") return undefined;
  if (phase.kind === "asking") {
    const chosen = Number(input) - 1;
    if (!/^[1-9]$/.test(input) || chosen >= phase.question.choices.length) return state;
    return { ...state, answers: new Map(state.answers).set(step, { chosen, right: chosen === phase.question.answer }) };
  }
  if (key.rightArrow || key.return || input === "n" || input === " ") return { ...state, revealed: new Set(state.revealed).add(step) };
  return state;
}
