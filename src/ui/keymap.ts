/**
 * Keys → intents. One table, shared by the app, the help overlay and the
 * status line, so what the screen says is what the keys do.
 */
import type { Action } from "./state.js";

/** The part of ink's `Key` the stepper reads. */
export interface KeyInfo {
  readonly upArrow?: boolean;
  readonly downArrow?: boolean;
  readonly leftArrow?: boolean;
  readonly rightArrow?: boolean;
  readonly pageUp?: boolean;
  readonly pageDown?: boolean;
  readonly home?: boolean;
  readonly end?: boolean;
  readonly return?: boolean;
  readonly escape?: boolean;
  readonly tab?: boolean;
  readonly shift?: boolean;
  readonly ctrl?: boolean;
  readonly meta?: boolean;
}

/**
 * What a key asks for: a state change, or one of the effects the app performs
 * itself (exporting, quitting).
 */
export type Intent =
  | Action
  | { readonly type: "export" }
  | { readonly type: "quit" }
  | { readonly type: "interrupt" };

/** The keys as the help overlay lists them. */
export const KEY_HELP: readonly (readonly [keys: string, what: string])[] = [
  ["→ / n", "next step (runs it live when it has not run yet)"],
  ["← / p", "previous step, as recorded (nothing re-runs)"],
  ["↑ ↓ / k j", "move the cursor in the focused pane"],
  ["PgUp PgDn Home End", "move by a page, to the top, to the bottom"],
  ["enter", "expand / collapse a call; on a frame: go to its call"],
  ["tab / shift-tab", "focus the next / previous pane"],
  ["g", "frame → the call that produced it, and back"],
  ["z", "zoom the focused pane to the whole screen"],
  ["c", "compare: the step's Node and Python call paths side by side (--compare)"],
  ["l", "log view: the traced processes' stdout, stderr and debug output"],
  ["e", "export the trace as a markdown report"],
  ["?", "this help"],
  ["esc", "close help, log or zoom"],
  ["q", "quit (closes the traced server and client)"],
  ["ctrl-c", "interrupt: quit with exit code 130"],
];

/**
 * The status line's key summary, longest first: the status line shows the
 * first one that fits.
 */
export const KEY_SUMMARIES: readonly string[] = [
  "→/n next  ←/p prev  ↑↓/jk move  ⏎ fold  tab pane  g link  z zoom  c compare  e export  l log  ? help  q quit",
  "→/n next ←/p prev ↑↓ move ⏎ fold tab pane g link c cmp e export l log ? q quit",
  "n next p prev jk move ⏎ fold tab pane g link c cmp e export l log ? q quit",
  "n/p step jk move tab pane c cmp e export l log ? help q quit",
  "n/p step ? help q quit",
];

/** The intent of a key press, or undefined for keys that do nothing. */
export function intentFor(input: string, key: KeyInfo, helpOpen: boolean): Intent | undefined {
  if (key.ctrl && input === "c") return { type: "interrupt" };
  if (input === "q" && !key.ctrl && !key.meta) return { type: "quit" };
  if (helpOpen) return { type: "help" };
  if (key.rightArrow || input === "n") return { type: "next" };
  if (key.leftArrow || input === "p") return { type: "step", delta: -1 };
  if (key.upArrow || input === "k") return { type: "move", delta: -1 };
  if (key.downArrow || input === "j") return { type: "move", delta: 1 };
  if (key.pageUp) return { type: "page", dir: -1 };
  if (key.pageDown) return { type: "page", dir: 1 };
  if (key.home) return { type: "move", delta: -Infinity };
  if (key.end) return { type: "move", delta: Infinity };
  if (key.return || input === " ") return { type: "toggle" };
  if (key.tab) return { type: "focus", delta: key.shift ? -1 : 1 };
  if (key.escape) return { type: "escape" };
  switch (input) {
    case "g":
      return { type: "jump" };
    case "e":
      return { type: "export" };
    case "l":
      return { type: "log" };
    case "?":
      return { type: "help" };
    case "z":
      return { type: "zoom" };
    case "c":
      return { type: "compare" };
    default:
      return undefined;
  }
}

/**
 * Splits a run of plain characters into single key presses. ink hands a whole
 * chunk of stdin to the input handler when it holds no escape sequence, so
 * fast typing, key repeat or a terminal multiplexer can deliver `jjj` or
 * `\t\t` at once.
 */
export function keyPresses(input: string, key: KeyInfo): (readonly [string, KeyInfo])[] {
  const chars = [...input];
  if (chars.length <= 1 || key.ctrl || key.meta) return [[input, key]];
  return chars.map((c): readonly [string, KeyInfo] => {
    if (c === "\t") return ["", { tab: true }];
    if (c === "\r" || c === "\n") return ["", { return: true }];
    if (c === "\u0003") return ["c", { ctrl: true }];
    return [c, {}];
  });
}
