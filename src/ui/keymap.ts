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
  readonly backspace?: boolean;
  readonly delete?: boolean;
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
  | { readonly type: "open" }
  | { readonly type: "copy" }
  | { readonly type: "quit" }
  | { readonly type: "interrupt" };

/** The keys as the help overlay lists them: one row each, so the overlay fits 80×24. */
export const KEY_HELP: readonly (readonly [keys: string, what: string])[] = [
  ["→ n / ← p", "next step (runs it live the first time) / back, as recorded"],
  ["↑ ↓ / k j", "move in the focused pane, or scroll it (story, source)"],
  ["PgUp PgDn", "move by a page; Home / End: to the top / the bottom"],
  ["J / K", "scroll the step's story (narration) from any pane"],
  ["enter / tab", "fold a call; frame → its call / next pane (shift-tab: back)"],
  ["/", "calls: find a function (⏎ again: next) · frames: filter"],
  ["b / g", "background lane (heartbeats) / frame ↔ the call that made it"],
  ["v", "processes: every lane / one process alone, each in turn"],
  ["o / r R", "open the call's file:line in $EDITOR / a × N turn's next, prev"],
  ["h d w t", "frames: hide ping/pong · direction · connection · type"],
  ["x / y", "frames: hex dump of the bytes / copy the frame"],
  ["z / c", "zoom the focused pane / compare Node and Python (--compare)"],
  ["l / s", "log view (stdout, stderr, debug) / server state at the step"],
  ["a", "act on the live server: emit to a socket or room, disconnect"],
  ["e", "export a markdown report (never over an existing one)"],
  ["P", "predict mode: guess each step's next frame or call (1–4)"],
  ["? / esc", "this help / close help, a view, zoom or the search"],
  ["q / ctrl-c", "quit (stops the traced server and client) / exit 130"],
];

/**
 * The status line's key summaries, longest first: the status line shows the
 * first one that fits. At 80 columns every key that works in the panes is
 * listed; the frames pane has its own keys, shown while it has the focus.
 */
export const KEY_SUMMARIES: readonly string[] = [
  "→/n next  ←/p prev  ↑↓/jk move  J/K story  ⏎ fold  tab pane  / find  b background  g link  r/R turns  v lanes  o open  z zoom  e export  l log  s state  a act  P predict  ? help  q quit",
  "→/n next  ←/p prev  ↑↓ move  J/K story  tab pane  / find  b bg  g link  r/R turn  v lane  o open  z zoom  e export  s state  a act  ? help  q quit",
  "→/n next ←/p prev ↑↓ move J/K story tab pane / find b bg g link r/R v lane o open z zoom e l s state a act ? q",
  "n/p step ↑↓ J/K story ⏎ tab / b g o r/R v lane z zoom e l s state a act ? q quit",
  "n/p step jk move J/K story tab pane z zoom ? help q quit",
  "n/p step z zoom ? help q quit",
]

/** The status line's summaries while the compare pane is open. */
export const COMPARE_KEY_SUMMARIES: readonly string[] = [
  "→/n next  ←/p prev  ↑↓/jk move  ⏎ fold  tab pane  c close compare  z zoom  e export  l log  s state  a act  ? help  q quit",
  "n/p step ↑↓ move ⏎ fold tab pane c cmp z zoom e export l log s state a act ? q",
  "n/p step c cmp ? help q quit",
];

/** The status line's summaries while the frames pane has the focus. */
export const FRAME_KEY_SUMMARIES: readonly string[] = [
  "h hide ping/pong  d direction  w connection  t type  / filter  x hex  y copy  g call  b background  v lanes  z zoom  tab pane  s state  a act  ? help",
  "h ping/pong d dir w conn t type / filter x hex y copy g b v n/p tab z e s a ? q",
  "h ping d dir w conn t type / filter x hex y copy z zoom ?",
  "h d w t filter / text x hex z zoom ?",
];

/** The status line's summaries while the action menu (`a`) is open: its keys take everything typed. */
export const ACTION_KEY_SUMMARIES: readonly string[] = [
  "↑↓/jk move  ⏎ choose  1-3 pick  esc back  · what you type goes to the menu · ctrl-c quit",
  "↑↓ move ⏎ choose 1-3 pick esc back · typing goes to the menu",
  "↑↓ ⏎ choose 1-3 esc back",
];

/** The intent of a key typed into the search prompt (`/`). */
function promptIntent(input: string, key: KeyInfo, text: string): Intent | undefined {
  if (key.escape) return { type: "escape" };
  if (key.return) return { type: "submit" };
  if (key.backspace || key.delete) return { type: "prompt", text: [...text].slice(0, -1).join("") };
  if (key.ctrl || key.meta || key.upArrow || key.downArrow || key.leftArrow || key.rightArrow || key.tab || input === "") return undefined;
  return { type: "prompt", text: text + input };
}

/**
 * The intent of a key press, or undefined for keys that do nothing. While
 * `prompt` holds the text of a search being typed, keys edit it.
 */
export function intentFor(input: string, key: KeyInfo, helpOpen: boolean, prompt?: string): Intent | undefined {
  if (key.ctrl && input === "c") return { type: "interrupt" };
  if (prompt !== undefined) return promptIntent(input, key, prompt);
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
  return LETTERS[input];
}

const LETTERS: Readonly<Record<string, Intent>> = {
  J: { type: "story", delta: 1 },
  K: { type: "story", delta: -1 },
  g: { type: "jump" },
  e: { type: "export" },
  o: { type: "open" },
  y: { type: "copy" },
  l: { type: "log" },
  s: { type: "state" },
  "?": { type: "help" },
  z: { type: "zoom" },
  c: { type: "compare" },
  b: { type: "lane" },
  v: { type: "process" },
  h: { type: "filter", what: "heartbeats" },
  d: { type: "filter", what: "dir" },
  w: { type: "filter", what: "conn" },
  t: { type: "filter", what: "kind" },
  x: { type: "hex" },
  "/": { type: "prompt", text: "" },
};

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
    if (c === "\u007F" || c === "\b") return ["", { delete: true }];
    return [c, {}];
  });
}
