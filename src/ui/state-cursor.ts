/**
 * Cursor and scroll movement for the reducer: selecting a step, moving the
 * focused pane's cursor (or the log's scroll) by lines or pages, and keeping
 * every cursor in view after a resize. Apart from the reducer because the
 * jump between frames and calls moves cursors the same way.
 */
import { lastCompareScroll, scrollCompare } from "./state-compare.js";
import { stepView, withStepView, type Env, type UiState } from "./state-model.js";
import { centred, clamp, keepInView } from "./viewport.js";

/**
 * Selects step `index`, resetting what belongs to the previous step's
 * content; `follow` says whether later steps are selected as they appear.
 */
export function select(state: UiState, index: number, env: Env, follow: boolean): UiState {
  if (index === state.selected) return { ...state, follow };
  return {
    ...state,
    selected: index,
    follow,
    sourceScroll: 0,
    storyScroll: 0,
    compareScroll: 0,
    message: undefined,
    stepScroll: keepInView(index, state.stepScroll, env.rows.steps, Number.MAX_SAFE_INTEGER),
  };
}

/** Content rows of the scrollable area that has the focus (the log in the log view). */
export function rowsOf(state: UiState, env: Env): number {
  if (state.view !== "panes") return env.rows.log;
  return env.rows[state.focus];
}

/**
 * Moves the calls cursor to row `cursor` of the `visible` rows (under
 * `collapsed`), scrolling only as much as needed or, with `centre`, centring it.
 */
export function moveCalls(state: UiState, env: Env, cursor: number, collapsed = state.collapsed, visible = env.visible.length, centre = false): UiState {
  const view = stepView(state, state.selected);
  const next = clamp(cursor, 0, Math.max(0, visible - 1));
  const from = centre ? centred(next, env.rows.calls) : view.callScroll;
  return {
    ...withStepView(state, { callCursor: next, callScroll: keepInView(next, from, env.rows.calls, visible) }),
    collapsed,
    sourceScroll: next === view.callCursor ? state.sourceScroll : 0,
  };
}

/** Moves the frames cursor to `cursor`, scrolling as little as needed or, with `centre`, centring it. */
export function moveFrames(state: UiState, env: Env, cursor: number, centre = false): UiState {
  const view = stepView(state, state.selected);
  const count = env.messages.length;
  const next = clamp(cursor, 0, Math.max(0, count - 1));
  const from = centre ? centred(next, env.rows.frames) : view.frameScroll;
  return withStepView(state, { frameCursor: next, frameScroll: keepInView(next, from, env.rows.frames, count) });
}

/** Scrolls the story pane (the step's narration) by `delta` lines, within it, whatever pane has the focus. */
export function scrollStory(state: UiState, env: Env, delta: number): UiState {
  return { ...state, storyScroll: clamp(state.storyScroll + delta, 0, Math.max(0, (env.storyLines ?? 0) - env.rows.story)) };
}

/** Moves the focused pane's cursor (or scroll) by `delta` rows; in the log view, scrolls the log. */
export function move(state: UiState, env: Env, delta: number): UiState {
  if (state.view === "log") {
    const last = Math.max(0, env.logLines - env.rows.log);
    const from = state.logFollow ? last : Math.min(state.logScroll, last);
    const logScroll = clamp(from + delta, 0, last);
    return { ...state, logScroll, logFollow: logScroll >= last };
  }
  if (state.view === "state") return { ...state, stateScroll: clamp(state.stateScroll + delta, 0, Math.max(0, (env.stateLines ?? 0) - env.rows.log)) };
  const view = stepView(state, state.selected);
  switch (state.focus) {
    case "steps":
      if (env.revealed === 0) return state;
      return select(state, clamp(state.selected + delta, 0, env.revealed - 1), env, false);
    case "calls":
      return moveCalls(state, env, view.callCursor + delta);
    case "story":
      return scrollStory(state, env, delta);
    case "source":
      return { ...state, sourceScroll: clamp(state.sourceScroll + delta, 0, Math.max(0, env.sourceLines - env.rows.source)) };
    case "frames":
      return moveFrames(state, env, view.frameCursor + delta);
    case "compare":
      return scrollCompare(state, env, delta);
  }
}

/** Keeps every cursor in view and every scroll within its content after the rows changed. */
export function resize(state: UiState, env: Env): UiState {
  const view = stepView(state, state.selected);
  const resized = withStepView(state, {
    callScroll: keepInView(view.callCursor, view.callScroll, env.rows.calls, env.visible.length),
    frameScroll: keepInView(view.frameCursor, view.frameScroll, env.rows.frames, env.messages.length),
  });
  return {
    ...resized,
    stepScroll: keepInView(Math.max(0, state.selected), state.stepScroll, env.rows.steps, Number.MAX_SAFE_INTEGER),
    sourceScroll: clamp(state.sourceScroll, 0, Math.max(0, env.sourceLines - env.rows.source)),
    storyScroll: clamp(state.storyScroll, 0, Math.max(0, (env.storyLines ?? 0) - env.rows.story)),
    compareScroll: clamp(state.compareScroll, 0, lastCompareScroll(env)),
  };
}
