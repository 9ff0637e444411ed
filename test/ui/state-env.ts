/**
 * The reducer tests' shared setting: the `Env` the app would hand the reducer
 * for a state over the fixture trace, and a runner applying actions in turn.
 */
import { messagesByStep } from "../../src/export/text.js";
import type { Trace } from "../../src/trace/model.js";
import { functionNames } from "../../src/ui/state-search.js";
import { initialState, update, type Action, type Env, type PaneRows, type UiState } from "../../src/ui/state.js";
import { visibleCalls } from "../../src/ui/visible-calls.js";

/** Small panes, so scrolling starts early. */
export const ROWS: PaneRows = { steps: 3, story: 4, calls: 3, source: 5, frames: 2, compare: 4, log: 2 };

/** The env of `state` over `trace` with `revealed` steps recorded. */
export function envFor(trace: Trace, state: UiState, rows: Partial<PaneRows> = {}, revealed = trace.steps.length): Env {
  const calls = trace.steps[state.selected]?.calls ?? [];
  return {
    revealed,
    canStep: revealed < trace.steps.length,
    calls,
    visible: visibleCalls(calls, state.collapsed),
    messages: messagesByStep(trace).get(state.selected) ?? [],
    sourceLines: 12,
    storyLines: 10,
    connections: [1, 2],
    names: functionNames(trace.functions),
    logLines: trace.logs.length,
    rows: { ...ROWS, ...rows },
  };
}

/** Applies `actions` one by one, each with the env of the state it applies to. */
export function run(trace: Trace, actions: readonly Action[], state = initialState(trace.steps.length), rows: Partial<PaneRows> = {}): UiState {
  return actions.reduce((s, action) => update(s, action, envFor(trace, s, rows)), state);
}
