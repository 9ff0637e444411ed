/**
 * The terminal side of the stepper: ink renders whole frames into a virtual
 * stdout, and {@link Screen} paints them on the alternate screen by absolute
 * row, rewriting only the rows that changed. A live frame arriving changes a
 * row or two, so that is all that is written: no full repaint, no flicker,
 * no relative cursor arithmetic to go wrong on resize.
 *
 * Why not ink's own `incrementalRendering`: in ink 6.8 it moves the cursor
 * one row short when the output ends with a newline (fixed in ink 7 by #910,
 * which needs Node 22), and its full-height mode clears the terminal on
 * every render.
 */
import { EventEmitter } from "node:events";
import { KEY_SUMMARIES } from "./keymap.js";
import { fit, width as textWidth } from "../export/text-fit.js";

/** Where escape sequences go: the real terminal's stdout. */
export interface ScreenTarget {
  write(data: string): unknown;
}

const CSI = "\u001B[";
const SYNC_START = `${CSI}?2026h`;
const SYNC_END = `${CSI}?2026l`;

/** A screen of rows painted from successive frames. */
export class Screen {
  /** The rows as they are on the terminal now. */
  private rows: string[] = [];
  /** The terminal's content is unknown (resized): clear it and write every row. */
  private stale = false;
  private active = false;

  constructor(private readonly target: ScreenTarget) {}

  /** Switches to the alternate screen, clears it and hides the cursor. */
  enter(): void {
    this.active = true;
    this.target.write(`${CSI}?1049h${CSI}?25l${CSI}2J${CSI}H`);
    this.rows = [];
    this.stale = false;
  }

  /** Shows the cursor and returns to the normal screen, as it was. */
  leave(): void {
    if (!this.active) return;
    this.active = false;
    this.target.write(`${CSI}0m${CSI}?25h${CSI}?1049l`);
  }

  /** The next paint clears the screen and rewrites every row (after a resize). */
  invalidate(): void {
    this.stale = true;
    this.rows = [];
  }

  /**
   * Paints `frame` (rows separated by `\n`): only rows that differ from the
   * last frame are written, in one synchronized update. Returns how many rows
   * were written.
   */
  paint(frame: string): number {
    if (!this.active) return 0;
    const next = frame.split("\n");
    let out = this.stale ? `${CSI}2J` : "";
    let written = 0;
    for (let i = 0; i < Math.max(next.length, this.rows.length); i++) {
      const row = next[i] ?? "";
      if (row === (this.rows[i] ?? "")) continue;
      out += `${CSI}${i + 1};1H${row}${CSI}0m${CSI}K`;
      written++;
    }
    this.stale = false;
    this.rows = next;
    if (out) this.target.write(SYNC_START + out + SYNC_END);
    return written;
  }
}

/** What ink needs of a stdout: a size, `write`, and resize events. */
export interface FrameSink extends EventEmitter {
  readonly columns: number;
  readonly rows: number;
  readonly isTTY: boolean;
  write(data: string, callback?: () => void): boolean;
}

/**
 * A virtual stdout for ink in `debug` mode (which writes each whole frame with
 * one `write`): every frame goes to `onFrame`.
 */
export function frameSink(size: () => { readonly width: number; readonly height: number }, onFrame: (frame: string) => void): FrameSink {
  // Getters, not values: ink reads the width again on every layout.
  const sink = Object.defineProperties(new EventEmitter(), {
    columns: { get: () => size().width },
    rows: { get: () => size().height },
    isTTY: { value: true },
    write: {
      value(data: string, callback?: () => void): boolean {
        if (data) onFrame(data);
        callback?.();
        return true;
      },
    },
  }) as FrameSink;
  return sink;
}

/**
 * The frame shown before the stepper itself has loaded: where it is going, and
 * the keys (which already work: they wait for the stepper). A `replay` starts
 * no server, and the splash says so.
 */
export function splash(size: { readonly width: number; readonly height: number }, scenario: string, replay = false): string {
  const rows = Array.from({ length: Math.max(1, size.height) }, () => "");
  rows[0] = fit(`trace-socket · ${scenario} · ${replay ? "replay" : "starting…"}`, size.width);
  const doing = replay ? "Loading the stepper over the recorded trace; no server runs." : "Loading the stepper and starting the traced server.";
  if (rows.length > 2) rows[2] = fit(doing, size.width);
  rows[rows.length - 1] = KEY_SUMMARIES.find((s) => textWidth(s) <= size.width) ?? fit(KEY_SUMMARIES[KEY_SUMMARIES.length - 1], size.width);
  return rows.join("\n");
}
