/**
 * The compare pane's content: the socket.io (Node) and Flask-SocketIO
 * (Python) call paths of one step in two columns, from the same
 * {@link compareSteps} the `--compare` text and markdown use. Pure.
 */
import { compareSteps, type CompareStep } from "../export/compare-text.js";
import type { Trace } from "../trace/model.js";
import { pad, sanitize } from "../export/text-fit.js";
import type { Line } from "./theme.js";

/** The two traces of a comparison, by side. */
export interface CompareSides {
  readonly node: Trace;
  readonly python: Trace;
}

/** Between the columns, in the rows and in the pane title. */
export const COLUMN_SEPARATOR = " │ ";

/** Whether `trace` was recorded from the Flask-SocketIO chat (its meta names Python packages). */
export function isFlaskTrace(trace: Trace): boolean {
  const { packages } = trace.meta;
  return packages.python !== undefined || packages.flask_socketio !== undefined;
}

/**
 * Which of the stepper's own trace and the one it compares with is which: the
 * stepper may run either chat, the Node column stays on the left.
 */
export function compareSides(own: Trace, other: Trace): CompareSides {
  return isFlaskTrace(own) && !isFlaskTrace(other) ? { node: other, python: own } : { node: own, python: other };
}

/** Both columns of every step of `own` and `other`, by step id. */
export function compareByStep(own: Trace, other: Trace): ReadonlyMap<string, CompareStep> {
  const { node, python } = compareSides(own, other);
  return new Map(compareSteps(node, python).map((step) => [step.id, step]));
}

/** Widths of the left and right column in a pane `width` columns wide. */
export function columnWidths(width: number): readonly [left: number, right: number] {
  const room = Math.max(0, width - COLUMN_SEPARATOR.length);
  const left = Math.floor(room / 2);
  return [left, room - left];
}

/** One row of two columns, each padded or cut (with `…`) to its width. */
export function columnRow(left: string, right: string, width: number): string {
  const [l, r] = columnWidths(width);
  return `${pad(sanitize(left), l)}${COLUMN_SEPARATOR}${pad(sanitize(right), r)}`.trimEnd();
}

/**
 * The rows of `step`: each side's step title, its user code, then its calls
 * (indented by depth), Node left, Python right.
 */
export function compareLines(step: CompareStep | undefined, width: number): Line[] {
  if (!step) return [{ text: "no step to compare yet", tone: "dim" }];
  const out: Line[] = [{ text: columnRow(step.titles.node ?? "(not in the Node chat)", step.titles.python ?? "(not in the Flask chat)", width), tone: "heading" }];
  const rows = Math.max(step.node.length, step.python.length);
  for (let i = 0; i < rows; i++) out.push({ text: columnRow(step.node[i] ?? "", step.python[i] ?? "", width), tone: i === 0 ? "code" : "plain" });
  return out;
}
