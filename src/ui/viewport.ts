/**
 * Scrolling arithmetic shared by the reducer and the panes: which rows of a
 * list are on screen. Pure.
 */

/** `value` limited to `low..high`. */
export const clamp = (value: number, low: number, high: number): number => Math.max(low, Math.min(high, value));

/**
 * The first visible row of a list of `count` rows shown `rows` at a time, moved
 * as little as possible from `scroll` so that `cursor` is visible.
 */
export function keepInView(cursor: number, scroll: number, rows: number, count: number): number {
  const height = Math.max(1, rows);
  let start = scroll;
  if (cursor < start) start = cursor;
  if (cursor >= start + height) start = cursor - height + 1;
  return clamp(start, 0, Math.max(0, count - height));
}

/** A scroll that puts `cursor` in the middle of the pane: where a jump lands, so its context shows. */
export function centred(cursor: number, rows: number): number {
  return Math.max(0, cursor - Math.floor(Math.max(1, rows) / 2));
}
