/**
 * Predict mode in the stepper: keeps its state, asks the selected step's
 * question the first time the step is shown with predict mode on (built from
 * the trace as it is then, and kept), and takes the keys a question needs.
 * Keys arrive faster than renders, so the state lives in a ref read and
 * written by the key handler, with a render asked for on every change.
 */
import { useCallback, useReducer, useRef } from "react";
import { predictContext, predictStep } from "../claims/predict/questions.js";
import type { Trace } from "../trace/model.js";
import type { KeyInfo } from "./keymap.js";
import { initialPredict, phaseOf, predictKey, scoreOf, withAsked, type PredictPhase, type PredictScore, type PredictState } from "./predict-model.js";

/** What the app reads of predict mode. */
export interface PredictView {
  readonly state: PredictState;
  readonly phase: PredictPhase;
  readonly score: PredictScore;
  /** Handles a key press; true when predict mode took it. */
  handle(input: string, key: KeyInfo): boolean;
}

/** Options of {@link usePredict}. */
export interface UsePredictOptions {
  /** Predict mode on from the start (`--predict`), with this seed. */
  readonly predict?: { readonly seed: number } | undefined;
  /** Told the score after every answer. */
  readonly onScore?: ((score: PredictScore) => void) | undefined;
}

/**
 * Predict mode over `trace`, for the step `selected`; `running` says that
 * step is still being recorded (its question is asked once it is whole).
 */
export function usePredict(trace: Trace, selected: number, running: boolean, options: UsePredictOptions): PredictView {
  const state = useRef(initialPredict(options.predict !== undefined, options.predict?.seed));
  const at = useRef(selected);
  at.current = selected;
  const [, rendered] = useReducer((n: number) => n + 1, 0);
  const onScore = useRef(options.onScore);
  onScore.current = options.onScore;
  // Asked here, as the step is first drawn, so its frames are never drawn before the question.
  const handle = useCallback((input: string, key: KeyInfo): boolean => {
    const next = predictKey(state.current, at.current, input, key);
    if (!next) return false;
    if (next !== state.current) {
      const answered = next.answers.size !== state.current.answers.size;
      state.current = next;
      rendered();
      if (answered) onScore.current?.(scoreOf(next));
    }
    return true;
  }, []);
  const unasked = state.current.on && selected >= 0 && selected < trace.steps.length && !state.current.asked.has(selected);
  if (unasked && running) return { state: state.current, phase: { kind: "waiting", step: selected }, score: scoreOf(state.current), handle };
  if (unasked) state.current = withAsked(state.current, selected, predictStep(predictContext(trace), selected, { seed: state.current.seed }));
  return { state: state.current, phase: phaseOf(state.current, selected), score: scoreOf(state.current), handle };
}
