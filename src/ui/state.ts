/**
 * The stepper's reducer: `update` maps each action to the next state, handing
 * movement, the frame ↔ call jump and the compare pane to their own modules.
 * The state's types live in `state-model.ts` and are re-exported here, so
 * callers keep importing from this module.
 */
import { COMPARE_PANES, PANES } from "./layout.js";
import { toggleCompare } from "./state-compare.js";
import { move, resize, rowsOf, scrollStory, select } from "./state-cursor.js";
import { cycleFilter } from "./frame-filter.js";
import { jump } from "./state-jump.js";
import { submitSearch } from "./state-search.js";
import { effectiveStep, stepView, type Action, type Env, type UiState } from "./state-model.js";
import { clamp } from "./viewport.js";
import { nextProcessView, processViewText } from "./process-lanes.js";

export {
  EMPTY_STEP_VIEW,
  effectiveStep,
  initialState,
  stepView,
  type Action,
  type Env,
  type JumpBack,
  type Lane,
  type Prompt,
  type PaneRows,
  type StepView,
  type UiState,
  type View,
} from "./state-model.js";

function toggle(state: UiState, env: Env): UiState {
  switch (state.focus) {
    case "steps":
      return { ...state, focus: "calls" };
    case "calls": {
      const row = env.visible[stepView(state, state.selected).callCursor];
      if (!row?.hasChildren) return state;
      const collapsed = new Set(state.collapsed);
      if (collapsed.has(row.node.seq)) collapsed.delete(row.node.seq);
      else collapsed.add(row.node.seq);
      return { ...state, collapsed };
    }
    case "frames":
      return jump(state, env);
    case "story":
    case "source":
    case "compare":
      return state;
  }
}

/** The reducer: `state` after `action`, given the trace as rendered (`env`). */
export function update(state: UiState, action: Action, env: Env): UiState {
  const next = apply(state, action, env);
  // On a small terminal one pane sits under the story: the last of source and frames the focus went to.
  if (next.focus === "frames" && next.lower !== "frames") return { ...next, lower: "frames" };
  if ((next.focus === "source" || next.focus === "calls") && next.lower !== "source") return { ...next, lower: "source" };
  return next;
}

function apply(state: UiState, action: Action, env: Env): UiState {
  switch (action.type) {
    case "next":
      // Applied in order even within one batch of keys, so `nnn` means three steps.
      if (effectiveStep(state, env) < env.revealed - 1) return select(state, effectiveStep(state, env) + 1, env, false);
      if (env.canStep) return { ...state, follow: true, requests: state.requests + 1 };
      return { ...state, message: env.lastStepMessage ?? "that was the last step" };
    case "step":
      if (env.revealed === 0) return state;
      return select(state, clamp(effectiveStep(state, env) + action.delta, 0, env.revealed - 1), env, false);
    case "move":
      return move(state, env, action.delta);
    case "page":
      return move(state, env, action.dir * Math.max(1, rowsOf(state, env) - 1));
    case "toggle":
      return state.view !== "panes" ? state : toggle(state, env);
    case "focus": {
      if (state.view !== "panes") return state;
      const order = state.compare ? COMPARE_PANES : PANES;
      const at = order.indexOf(state.focus);
      return { ...state, focus: order[(at + action.delta + order.length) % order.length] };
    }
    case "jump":
      return state.view !== "panes" ? state : jump(state, env);
    case "log":
      return { ...state, view: state.view === "log" ? "panes" : "log", help: false };
    case "state":
      return { ...state, view: state.view === "state" ? "panes" : "state", help: false, stateScroll: 0 };
    case "help":
      return { ...state, help: !state.help };
    case "zoom":
      return { ...state, zoom: !state.zoom };
    case "compare":
      return toggleCompare(state, env);
    case "story":
      return scrollStory(state, env, action.delta);
    case "lane": {
      const lane = state.lane === "own" ? "background" : "own";
      return { ...state, lane, message: lane === "background" ? "background lane: heartbeats and what they set off while the step was open · b: back" : undefined };
    }
    case "process": {
      const lanes = env.lanes ?? [];
      if (lanes.length < 2) return { ...state, message: "v: lanes need several traced processes; this trace has one" };
      const process = nextProcessView(state.process, lanes);
      return { ...state, process, message: `lanes: ${processViewText(process, lanes)} · v: next` };
    }
    case "filter":
      return { ...state, filter: cycleFilter(state.filter, action.what, env.connections ?? []) };
    case "hex":
      return { ...state, hex: !state.hex };
    case "prompt":
      return { ...state, prompt: action.text === undefined ? undefined : { text: action.text } };
    case "submit":
      return submitSearch(state, env);
    case "escape":
      if (state.prompt) return { ...state, prompt: undefined };
      if (state.help) return { ...state, help: false };
      if (state.view !== "panes") return { ...state, view: "panes" };
      if (state.zoom) return { ...state, zoom: false };
      return { ...state, message: undefined };
    case "sync":
      if (env.revealed === 0) return state;
      if (state.selected < 0 || (state.follow && state.selected < env.revealed - 1)) {
        return select(state, env.revealed - 1, env, state.follow);
      }
      return state;
    case "resize":
      return resize(state, env);
    case "message":
      return { ...state, message: action.text };
    case "follow":
      return { ...state, follow: true, view: "panes" };
  }
}
