/**
 * The compare pane's part of the reducer: opening and closing it, and its
 * scroll. Apart because the pane exists only with `--compare`, and all it
 * touches is `compare`, `compareScroll` and the focus it takes or gives back.
 */
import type { Env, UiState } from "./state-model.js";
import { clamp } from "./viewport.js";

/** The furthest the compare pane can scroll with its current lines and rows. */
export function lastCompareScroll(env: Env): number {
  return Math.max(0, (env.compareLines ?? 0) - env.rows.compare);
}

/** Scrolls the compare pane by `delta` lines, within its content. */
export function scrollCompare(state: UiState, env: Env, delta: number): UiState {
  return { ...state, compareScroll: clamp(state.compareScroll + delta, 0, lastCompareScroll(env)) };
}

/**
 * Opens the compare pane (focused) or closes it (handing the focus back to
 * the calls pane when it had it); says why when there is nothing to compare.
 */
export function toggleCompare(state: UiState, env: Env): UiState {
  if (!env.canCompare) return { ...state, message: "nothing to compare with: start with --compare" };
  if (state.compare) {
    const away = state.focus === "compare";
    return { ...state, compare: false, focus: away ? "calls" : state.focus, zoom: away ? false : state.zoom };
  }
  // Focused at once, so ↑/↓ scroll what was just opened.
  return { ...state, compare: true, view: "panes", help: false, focus: "compare" };
}
