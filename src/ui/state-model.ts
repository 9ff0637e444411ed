/**
 * The shape of the stepper's UI state, what the reducer is told about the
 * trace (`Env`) and the actions it takes, with the fresh state and the
 * per-step view accessors every part of the reducer reads. Separate from the
 * reducer so its parts (cursor, jump, compare) can share these without
 * importing one another.
 */
import type { CallNode } from "../trace/model.js";
import type { WireMessage } from "../wire/types.js";
import type { LowerPane, PaneId } from "./layout.js";
import type { VisibleCall } from "./visible-calls.js";
import { NO_FILTER, type FrameFilter } from "./frame-filter.js";
import type { ProcessLane } from "./process-lanes.js";
import type { IdSpace } from "../trace/process-names.js";

/** The main panes, the full-width log of the traced processes' output, or the server's live state at the step. */
export type View = "panes" | "log" | "state";

/** Cursor and scroll of the panes that depend on the step, kept per step. */
export interface StepView {
  readonly callCursor: number;
  readonly callScroll: number;
  readonly frameCursor: number;
  readonly frameScroll: number;
}

/** A step never visited yet. */
export const EMPTY_STEP_VIEW: StepView = { callCursor: 0, callScroll: 0, frameCursor: 0, frameScroll: 0 };

/** Which of a step's two lanes the calls and frames panes show: its own work, or the background traffic that came meanwhile. */
export type Lane = "own" | "background";

/** A search being typed on the status line (`/`). */
export interface Prompt {
  readonly text: string;
}

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
  /** Keyed by step index, with a `b` suffix for the background lane and `@<process>` for one process shown alone. */
  readonly perStep: Readonly<Record<string, StepView>>;
  /** `seq` of the calls whose children are hidden. */
  readonly collapsed: ReadonlySet<number>;
  readonly sourceScroll: number;
  /** First line of the step's narration shown; back to 0 on every step. */
  readonly storyScroll: number;
  /** The pane shown under the story on a small terminal: the last of source and frames the focus chose. */
  readonly lower: LowerPane;
  readonly lane: Lane;
  /** In a trace of several processes, the one whose calls and frames are shown alone (`v`); undefined: all of them. */
  readonly process?: number;
  /** What the frames pane hides; kept across steps, like DevTools' filter bar. */
  readonly filter: FrameFilter;
  /** The frame detail shows the frame's bytes as a hex dump. */
  readonly hex: boolean;
  /** Set while a search is typed. */
  readonly prompt?: Prompt;
  /** The last search in the calls pane, repeated by an empty one. */
  readonly lastFind?: string;
  /** The compare pane (Node and Python call paths of the step) stands in for source and frames. */
  readonly compare: boolean;
  readonly compareScroll: number;
  readonly logScroll: number;
  /** The log view sticks to its last line while true. */
  readonly logFollow: boolean;
  /** First line of the state view shown. */
  readonly stateScroll: number;
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
  readonly story: number;
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
  /** Lines the story pane currently has. */
  readonly storyLines?: number;
  /** Lower-cased name and file of a function by id, for the calls search. */
  readonly names?: (id: number) => string;
  /** Connections with frames in the selected step's lane, for the connection filter to cycle through. */
  readonly connections?: readonly number[];
  /** Whether a second trace was given to compare with (default false). */
  readonly canCompare?: boolean;
  /** Lines the compare pane currently has. */
  readonly compareLines?: number;
  readonly logLines: number;
  /** Lines the state view has for the selected step. */
  readonly stateLines?: number;
  readonly rows: PaneRows;
  /** The trace's processes, in a trace of several: what `v` cycles through. */
  readonly lanes?: readonly ProcessLane[];
  /** How ids are shown (`B call #7` in a trace of several processes). */
  readonly ids?: IdSpace;
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
  | { readonly type: "state" }
  | { readonly type: "help" }
  | { readonly type: "zoom" }
  | { readonly type: "compare" }
  | { readonly type: "escape" }
  | { readonly type: "story"; readonly delta: number }
  | { readonly type: "lane" }
  /** `v`: show the next process alone, or all of them again. */
  | { readonly type: "process" }
  | { readonly type: "filter"; readonly what: "heartbeats" | "dir" | "conn" | "kind" }
  | { readonly type: "hex" }
  | { readonly type: "prompt"; readonly text?: string }
  | { readonly type: "submit" }
  | { readonly type: "sync" }
  | { readonly type: "resize" }
  | { readonly type: "message"; readonly text?: string }
  /** Select each new step as it is recorded (an action sent from the menu becomes the next step). */
  | { readonly type: "follow" };

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
    storyScroll: 0,
    lower: "source",
    lane: "own",
    filter: NO_FILTER,
    hex: false,
    compare,
    compareScroll: 0,
    logScroll: 0,
    logFollow: true,
    stateScroll: 0,
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

/** Step `index`'s views are kept per lane: the background lane has cursors of its own, and so has each process shown alone. */
function viewKey(state: UiState, index: number): string {
  const process = state.process === undefined ? "" : `@${state.process}`;
  return `${state.lane === "background" ? `${index}b` : String(index)}${process}`;
}

/** The view of step `index` in the current lane (defaults for a step never visited). */
export function stepView(state: UiState, index: number): StepView {
  return state.perStep[viewKey(state, index)] ?? EMPTY_STEP_VIEW;
}

/** `state` with the selected step's view patched by `patch`. */
export function withStepView(state: UiState, patch: Partial<StepView>): UiState {
  const current = stepView(state, state.selected);
  return { ...state, perStep: { ...state.perStep, [viewKey(state, state.selected)]: { ...current, ...patch } } };
}
