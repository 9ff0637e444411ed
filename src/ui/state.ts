/**
 * The stepper's UI state and its reducer: which step is selected, which pane
 * has the focus, each pane's cursor and scroll, collapsed calls, overlays.
 * Pure: everything the reducer needs from the trace comes in an {@link Env}.
 */
import type { CallNode } from "../trace/model.js";
import type { WireMessage } from "../wire/types.js";
import { COMPARE_PANES, PANES, type PaneId } from "./layout.js";
import { centred, clamp, keepInView } from "./viewport.js";
import { lastSeq, revealing, visibleCalls, type VisibleCall } from "./visible-calls.js";

/** The main panes, or the full-width log of the traced processes' output. */
export type View = "panes" | "log";

/** Cursor and scroll of the panes that depend on the step, kept per step. */
export interface StepView {
  readonly callCursor: number;
  readonly callScroll: number;
  readonly frameCursor: number;
  readonly frameScroll: number;
}

/** A step never visited yet. */
export const EMPTY_STEP_VIEW: StepView = { callCursor: 0, callScroll: 0, frameCursor: 0, frameScroll: 0 };

/** Where a frame → call jump came from, so the way back lands on the same frame. */
export interface JumpBack {
  readonly step: number;
  readonly frame: number;
  readonly call: number;
}

/** Everything the UI remembers. */
export interface UiState {
  /** Index of the selected step; -1 while no step is recorded yet. */
  readonly selected: number;
  readonly focus: PaneId;
  readonly view: View;
  readonly help: boolean;
  readonly zoom: boolean;
  /** Select each newly recorded step as it appears (set when the user asked for the next step). */
  readonly follow: boolean;
  readonly stepScroll: number;
  readonly perStep: Readonly<Record<number, StepView>>;
  /** `seq` of the calls whose children are hidden. */
  readonly collapsed: ReadonlySet<number>;
  readonly sourceScroll: number;
  /** The compare pane (Node and Python call paths of the step) stands in for source and frames. */
  readonly compare: boolean;
  readonly compareScroll: number;
  readonly logScroll: number;
  /** The log view sticks to its last line while true. */
  readonly logFollow: boolean;
  readonly jumpBack?: JumpBack;
  /** One line for the header: where an export went, why a jump failed… */
  readonly message?: string;
  /** How many new steps the user asked for so far; the app asks the source for each. */
  readonly requests: number;
}

/** Content rows of each scrollable area, from the layout. */
export interface PaneRows {
  readonly steps: number;
  readonly calls: number;
  readonly source: number;
  readonly frames: number;
  readonly compare: number;
  readonly log: number;
}

/** What the reducer needs to know about the trace as it is rendered right now. */
export interface Env {
  /** Steps recorded so far. */
  readonly revealed: number;
  /** Whether the source can record (live) or reveal (replay) another step. */
  readonly canStep: boolean;
  /** Said when there is no next step. */
  readonly lastStepMessage?: string;
  /** Call tree of the selected step. */
  readonly calls: readonly CallNode[];
  /** Its visible rows under the current `collapsed`. */
  readonly visible: readonly VisibleCall[];
  /** Frames of the selected step. */
  readonly messages: readonly WireMessage[];
  /** Lines the source pane currently has. */
  readonly sourceLines: number;
  /** Whether a second trace was given to compare with (default false). */
  readonly canCompare?: boolean;
  /** Lines the compare pane currently has. */
  readonly compareLines?: number;
  readonly logLines: number;
  readonly rows: PaneRows;
}

/** What can happen to the state. */
export type Action =
  | { readonly type: "next" }
  | { readonly type: "step"; readonly delta: number }
  | { readonly type: "move"; readonly delta: number }
  | { readonly type: "page"; readonly dir: 1 | -1 }
  | { readonly type: "toggle" }
  | { readonly type: "focus"; readonly delta: 1 | -1 }
  | { readonly type: "jump" }
  | { readonly type: "log" }
  | { readonly type: "help" }
  | { readonly type: "zoom" }
  | { readonly type: "compare" }
  | { readonly type: "escape" }
  | { readonly type: "sync" }
  | { readonly type: "resize" }
  | { readonly type: "message"; readonly text?: string };

/**
 * The state of a fresh stepper over `revealed` recorded steps; with `compare`,
 * the compare pane is open and focused.
 */
export function initialState(revealed: number, compare = false): UiState {
  return {
    selected: revealed > 0 ? 0 : -1,
    focus: compare ? "compare" : "calls",
    view: "panes",
    help: false,
    zoom: false,
    follow: false,
    stepScroll: 0,
    perStep: {},
    collapsed: new Set(),
    sourceScroll: 0,
    compare,
    compareScroll: 0,
    logScroll: 0,
    logFollow: true,
    requests: 0,
  };
}

/**
 * The step the user is on, counting a follow that has not been synced yet: a
 * key pressed between a new step's render and its sync must act on that step.
 */
export function effectiveStep(state: UiState, env: Pick<Env, "revealed">): number {
  return state.follow && env.revealed > 0 ? env.revealed - 1 : state.selected;
}

/** The view of step `index` (defaults for a step never visited). */
export function stepView(state: UiState, index: number): StepView {
  return state.perStep[index] ?? EMPTY_STEP_VIEW;
}

function withStepView(state: UiState, patch: Partial<StepView>): UiState {
  const current = stepView(state, state.selected);
  return { ...state, perStep: { ...state.perStep, [state.selected]: { ...current, ...patch } } };
}

function select(state: UiState, index: number, env: Env, follow: boolean): UiState {
  if (index === state.selected) return { ...state, follow };
  return {
    ...state,
    selected: index,
    follow,
    sourceScroll: 0,
    compareScroll: 0,
    message: undefined,
    stepScroll: keepInView(index, state.stepScroll, env.rows.steps, Number.MAX_SAFE_INTEGER),
  };
}

function rowsOf(state: UiState, env: Env): number {
  if (state.view === "log") return env.rows.log;
  return env.rows[state.focus];
}

function moveCalls(state: UiState, env: Env, cursor: number, collapsed = state.collapsed, visible = env.visible.length, centre = false): UiState {
  const view = stepView(state, state.selected);
  const next = clamp(cursor, 0, Math.max(0, visible - 1));
  const from = centre ? centred(next, env.rows.calls) : view.callScroll;
  return {
    ...withStepView(state, { callCursor: next, callScroll: keepInView(next, from, env.rows.calls, visible) }),
    collapsed,
    sourceScroll: next === view.callCursor ? state.sourceScroll : 0,
  };
}

function moveFrames(state: UiState, env: Env, cursor: number, centre = false): UiState {
  const view = stepView(state, state.selected);
  const count = env.messages.length;
  const next = clamp(cursor, 0, Math.max(0, count - 1));
  const from = centre ? centred(next, env.rows.frames) : view.frameScroll;
  return withStepView(state, { frameCursor: next, frameScroll: keepInView(next, from, env.rows.frames, count) });
}

function move(state: UiState, env: Env, delta: number): UiState {
  if (state.view === "log") {
    const last = Math.max(0, env.logLines - env.rows.log);
    const from = state.logFollow ? last : Math.min(state.logScroll, last);
    const logScroll = clamp(from + delta, 0, last);
    return { ...state, logScroll, logFollow: logScroll >= last };
  }
  const view = stepView(state, state.selected);
  switch (state.focus) {
    case "steps":
      if (env.revealed === 0) return state;
      return select(state, clamp(state.selected + delta, 0, env.revealed - 1), env, false);
    case "calls":
      return moveCalls(state, env, view.callCursor + delta);
    case "source":
      return { ...state, sourceScroll: clamp(state.sourceScroll + delta, 0, Math.max(0, env.sourceLines - env.rows.source)) };
    case "frames":
      return moveFrames(state, env, view.frameCursor + delta);
    case "compare":
      return { ...state, compareScroll: clamp(state.compareScroll + delta, 0, lastCompareScroll(env)) };
  }
}

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
    case "source":
    case "compare":
      return state;
  }
}

function jumpToCall(state: UiState, env: Env): UiState {
  const view = stepView(state, state.selected);
  const message = env.messages[view.frameCursor];
  if (!message) return { ...state, message: "no frame selected" };
  if (message.call === undefined) return { ...state, message: "no call is recorded for this frame" };
  const collapsed = revealing(env.calls, state.collapsed, message.call);
  const visible = collapsed === state.collapsed ? env.visible : visibleCalls(env.calls, collapsed);
  const index = visible.findIndex((row) => row.node.seq === message.call);
  if (index < 0) return { ...state, message: `call #${message.call} is not in this step's call tree` };
  const moved = moveCalls(state, env, index, collapsed, visible.length, true);
  return { ...moved, focus: "calls", message: undefined, jumpBack: { step: state.selected, frame: view.frameCursor, call: message.call } };
}

function jumpToFrame(state: UiState, env: Env): UiState {
  const view = stepView(state, state.selected);
  const node = env.visible[view.callCursor]?.node;
  if (!node) return { ...state, message: "no call selected" };
  const back = state.jumpBack;
  if (back && back.step === state.selected && back.call === node.seq && back.frame < env.messages.length) {
    return { ...moveFrames(state, env, back.frame, true), focus: "frames", message: undefined };
  }
  const last = lastSeq(node);
  const index = env.messages.findIndex((m) => m.call !== undefined && m.call >= node.seq && m.call <= last);
  if (index < 0) return { ...state, message: "no frame was read or written under this call" };
  return { ...moveFrames(state, env, index, true), focus: "frames", message: undefined };
}

function jump(state: UiState, env: Env): UiState {
  if (state.focus === "frames") return jumpToCall(state, env);
  if (state.focus === "calls") return jumpToFrame(state, env);
  return { ...state, message: "g jumps between a frame and its call: focus the calls or frames pane" };
}

function lastCompareScroll(env: Env): number {
  return Math.max(0, (env.compareLines ?? 0) - env.rows.compare);
}

function toggleCompare(state: UiState, env: Env): UiState {
  if (!env.canCompare) return { ...state, message: "nothing to compare with: start with --compare" };
  if (state.compare) {
    const away = state.focus === "compare";
    return { ...state, compare: false, focus: away ? "calls" : state.focus, zoom: away ? false : state.zoom };
  }
  // Focused at once, so ↑/↓ scroll what was just opened.
  return { ...state, compare: true, view: "panes", help: false, focus: "compare" };
}

function resize(state: UiState, env: Env): UiState {
  const view = stepView(state, state.selected);
  const resized = withStepView(state, {
    callScroll: keepInView(view.callCursor, view.callScroll, env.rows.calls, env.visible.length),
    frameScroll: keepInView(view.frameCursor, view.frameScroll, env.rows.frames, env.messages.length),
  });
  return {
    ...resized,
    stepScroll: keepInView(Math.max(0, state.selected), state.stepScroll, env.rows.steps, Number.MAX_SAFE_INTEGER),
    sourceScroll: clamp(state.sourceScroll, 0, Math.max(0, env.sourceLines - env.rows.source)),
    compareScroll: clamp(state.compareScroll, 0, lastCompareScroll(env)),
  };
}

/** The reducer: `state` after `action`, given the trace as rendered (`env`). */
export function update(state: UiState, action: Action, env: Env): UiState {
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
      return state.view === "log" ? state : toggle(state, env);
    case "focus": {
      if (state.view === "log") return state;
      const order = state.compare ? COMPARE_PANES : PANES;
      const at = order.indexOf(state.focus);
      return { ...state, focus: order[(at + action.delta + order.length) % order.length] };
    }
    case "jump":
      return state.view === "log" ? state : jump(state, env);
    case "log":
      return { ...state, view: state.view === "log" ? "panes" : "log", help: false };
    case "help":
      return { ...state, help: !state.help };
    case "zoom":
      return { ...state, zoom: !state.zoom };
    case "compare":
      return toggleCompare(state, env);
    case "escape":
      if (state.help) return { ...state, help: false };
      if (state.view === "log") return { ...state, view: "panes" };
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
  }
}
