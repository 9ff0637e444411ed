/**
 * How the screen is cut into panes for a given terminal size. Pure, so resizing
 * is tested as arithmetic. Rows counted here are content rows: each pane adds
 * one title row of its own.
 *
 * The step's narration (the story pane) is always on screen: it is what the
 * tool is for. On a small terminal (below 100×32) the right column holds the
 * story over one more pane, source or frames, whichever the focus last chose.
 */

/** The panes that take focus with tab. */
export type PaneId = "steps" | "story" | "calls" | "source" | "frames" | "compare";

/** The pane under the story on a small terminal. */
export type LowerPane = "source" | "frames";

/** Tab order. */
export const PANES: readonly PaneId[] = ["steps", "story", "calls", "source", "frames"];

/** Tab order while the compare pane stands in for source and frames. */
export const COMPARE_PANES: readonly PaneId[] = ["steps", "calls", "compare"];

/** Smallest usable size; below it the app asks for a bigger terminal. */
export const MIN_SIZE = { width: 40, height: 12 } as const;

/** Below this the small layout is used: story over one pane instead of three panes on the right. */
export const SMALL = { width: 100, height: 32 } as const;

/** Sizes of every pane. */
export interface Layout {
  readonly width: number;
  readonly height: number;
  readonly tooSmall: boolean;
  /** The small-terminal layout: the right column shows only `lower` under the story. */
  readonly small: boolean;
  /** Rows between the header and the status line. */
  readonly body: number;
  /** Column widths; `right` is 0 when a pane is zoomed. */
  readonly left: number;
  readonly right: number;
  /** Content rows of each pane (0 when hidden by a zoom or the small layout). */
  readonly steps: number;
  readonly story: number;
  readonly calls: number;
  readonly source: number;
  readonly framesList: number;
  readonly framesDetail: number;
  /** Content rows of the compare pane, which takes the whole right column when shown. */
  readonly compare: number;
  /** Content rows of the log view and of the help overlay. */
  readonly log: number;
  readonly zoomed?: PaneId;
}

const clamp = (value: number, low: number, high: number): number => Math.max(low, Math.min(high, value));

/** Rows of a frames pane given `rows` in all (title and decode divider included). */
function framesRows(rows: number, listShare: number): { framesList: number; framesDetail: number } {
  const inner = Math.max(2, rows - 2);
  const framesList = Math.max(1, Math.min(inner - 1, Math.floor(inner * listShare)));
  return { framesList, framesDetail: Math.max(1, inner - framesList) };
}

/**
 * Cuts a `width`×`height` screen (height = rows the app may use) into panes.
 * The left column holds steps over calls, the right one the story over source
 * and frames (or, small, over `lower`); with `zoomed`, that pane alone takes
 * the whole body. While `comparing`, the compare pane's two columns take the
 * right one and it gets more of the width.
 */
export function computeLayout(width: number, height: number, planned: number, zoomed?: PaneId, comparing = false, lower: LowerPane = "source"): Layout {
  const body = Math.max(0, height - 2);
  const tooSmall = width < MIN_SIZE.width || height < MIN_SIZE.height;
  const small = width < SMALL.width || height < SMALL.height;
  const base = { width, height, tooSmall, small, body, log: Math.max(0, body - 1) };
  const none = { steps: 0, story: 0, calls: 0, source: 0, framesList: 0, framesDetail: 0, compare: 0 };
  if (tooSmall) return { ...base, ...none, left: width, right: 0 };
  if (zoomed) {
    const rows = body - 1;
    const own = zoomed === "frames" ? framesRows(body, 1 / 3) : { [zoomed]: rows };
    return { ...base, ...none, ...own, zoomed, left: width, right: 0 };
  }
  const left = clamp(Math.round(width * (comparing ? 0.3 : small ? 0.35 : 0.4)), 24, 64);
  const right = width - left - 1;
  const steps = body >= planned + 14 ? Math.max(1, planned) : clamp(Math.floor((body - 2) / 3), 2, Math.max(2, planned));
  const calls = body - 2 - steps;
  const compare = body - 1;
  if (small) {
    const story = clamp(Math.floor((body - 2) * 0.4), 2, 12);
    const rest = body - 1 - story;
    const shown = lower === "source" ? { source: rest - 1, framesList: 0, framesDetail: 0 } : { source: 0, ...framesRows(rest, 0.3) };
    return { ...base, left, right, steps, story, calls, compare, ...shown };
  }
  const available = body - 4;
  const story = clamp(Math.floor(available * 0.3), 4, 14);
  const source = Math.max(3, Math.floor((available - story) * 0.45));
  const frames = framesRows(body - 2 - story - source, 0.4);
  return { ...base, left, right, steps, story, calls, source, ...frames, compare };
}
