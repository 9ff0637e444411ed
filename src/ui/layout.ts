/**
 * How the screen is cut into panes for a given terminal size. Pure, so resizing
 * is tested as arithmetic. Rows counted here are content rows: each pane adds
 * one title row of its own.
 */

/** The panes that take focus with tab. */
export type PaneId = "steps" | "calls" | "source" | "frames" | "compare";

/** Tab order. */
export const PANES: readonly PaneId[] = ["steps", "calls", "source", "frames"];

/** Tab order while the compare pane stands in for source and frames. */
export const COMPARE_PANES: readonly PaneId[] = ["steps", "calls", "compare"];

/** Smallest usable size; below it the app asks for a bigger terminal. */
export const MIN_SIZE = { width: 40, height: 12 } as const;

/** Sizes of every pane. */
export interface Layout {
  readonly width: number;
  readonly height: number;
  readonly tooSmall: boolean;
  /** Rows between the header and the status line. */
  readonly body: number;
  /** Column widths; `right` is 0 when a pane is zoomed. */
  readonly left: number;
  readonly right: number;
  /** Content rows of each pane (0 when hidden by a zoom). */
  readonly steps: number;
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

/**
 * Cuts a `width`×`height` screen (height = rows the app may use) into panes.
 * The left column holds steps over calls, the right one source over frames;
 * with `zoomed`, that pane alone takes the whole body. While `comparing`, the
 * compare pane's two columns take the right one and it gets more of the width.
 */
export function computeLayout(width: number, height: number, planned: number, zoomed?: PaneId, comparing = false): Layout {
  const body = Math.max(0, height - 2);
  const tooSmall = width < MIN_SIZE.width || height < MIN_SIZE.height;
  const base = { width, height, tooSmall, body, log: Math.max(0, body - 1) };
  if (tooSmall) return { ...base, left: width, right: 0, steps: 0, calls: 0, source: 0, framesList: 0, framesDetail: 0, compare: 0 };
  if (zoomed) {
    const rows = body - 1;
    const list = zoomed === "frames" ? Math.max(2, Math.floor((body - 2) / 3)) : 0;
    return {
      ...base,
      zoomed,
      left: width,
      right: 0,
      steps: zoomed === "steps" ? rows : 0,
      calls: zoomed === "calls" ? rows : 0,
      source: zoomed === "source" ? rows : 0,
      framesList: list,
      framesDetail: zoomed === "frames" ? body - 2 - list : 0,
      compare: zoomed === "compare" ? rows : 0,
    };
  }
  const left = clamp(Math.round(width * (comparing ? 0.3 : 0.4)), 24, 64);
  const right = width - left - 1;
  const steps = body >= planned + 14 ? Math.max(1, planned) : clamp(Math.floor((body - 2) / 3), 2, Math.max(2, planned));
  const calls = body - 2 - steps;
  const available = body - 3;
  const source = Math.max(3, Math.floor(available * 0.45));
  const framesList = Math.max(2, Math.floor((available - source) * 0.4));
  const framesDetail = Math.max(1, available - source - framesList);
  return { ...base, left, right, steps, calls, source, framesList, framesDetail, compare: body - 1 };
}
