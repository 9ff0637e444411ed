/**
 * The call tree of the selected step: one row per visible call, indented by
 * depth, with a fold marker, and `⇄` on calls that read or wrote a frame.
 */
import type { ReactNode } from "react";
import type { FunctionInfo } from "../trace/model.js";
import { sanitize } from "../export/text-fit.js";
import { Pane, Row } from "./pane.js";
import type { VisibleCall } from "./visible-calls.js";
import type { WalkedTurn } from "./use-turn-walk.js";
import { likeThis } from "../trace/turns.js";
import { callProcess, laneRows, laneWindow, type ProcessLane } from "./process-lanes.js";

/** Props of {@link CallsPane}. */
export interface CallsPaneProps {
  readonly visible: readonly VisibleCall[];
  readonly functions: readonly FunctionInfo[];
  /** Calls in the step, folded or not. */
  readonly total: number;
  /** `seq` of calls some frame is linked to. */
  readonly linked: ReadonlySet<number>;
  /** Turns folded under each representative root, beyond itself, by its seq. */
  readonly repeats?: ReadonlyMap<number, number>;
  /** A folded turn shown in its representative's place (r / R), and which of its shape's turns it is (`2/3`). */
  readonly walked?: WalkedTurn;
  readonly cursor: number;
  readonly scroll: number;
  readonly rows: number;
  readonly width: number;
  readonly focused: boolean;
  readonly color: boolean;
  /** Shown instead of the tree when there is no step. */
  readonly placeholder?: string;
  /** The tree is the step's background lane. */
  readonly background?: boolean;
  /** The trace's processes, in a trace of several: each process's calls under a header of its own. */
  readonly lanes?: readonly ProcessLane[];
  /** Set when one process is shown alone (`v`): the title says which. */
  readonly process?: string;
}

/** `Trace.functions` is indexed by id; a trace that is not still resolves. */
export function functionOf(functions: readonly FunctionInfo[], id: number): FunctionInfo | undefined {
  const direct = functions[id];
  return direct?.id === id ? direct : functions.find((f) => f.id === id);
}

/** The text of one call row. */
export function callRow(row: VisibleCall, fn: FunctionInfo | undefined, linked: boolean, width: number, repeats = 0, walked?: string): string {
  const cap = Math.max(4, Math.floor(width / 3));
  const indent = row.depth <= cap ? " ".repeat(row.depth) : `${" ".repeat(cap - 3)}${String(row.depth).padStart(2)}›`;
  const twisty = row.hasChildren ? (row.expanded ? "▾" : "▸") : "·";
  const name = fn ? sanitize(fn.name) : `#${row.node.fn}`;
  const origin = row.node.async ? ` ⟵${row.node.async.kind}` : "";
  // A representative of folded turns: its calls stand for theirs (their per-call times are its own).
  const like = walked === undefined && repeats && row.depth === 0 ? ` ${likeThis(repeats + 1)}` : "";
  // A folded turn shown in its representative's place says which it is first: narrow panes cut the end.
  const which = walked === undefined ? "" : `${walked} `;
  return `${indent}${twisty} ${which}${name}${linked ? " ⇄" : ""}${origin}${like}`;
}

/** The calls pane. */
export function CallsPane(props: CallsPaneProps): ReactNode {
  const { visible, functions, total, linked, repeats, walked, cursor, rows, width, focused, color, placeholder, background, process } = props;
  // A root call opens its process's lane; its descendants go with it.
  const shown = laneRows(visible, (row) => (row.depth === 0 ? callProcess(row.node) : undefined), props.lanes ?? []);
  const start = laneWindow(shown, cursor, props.scroll, rows);
  const position = visible.length ? ` · ${Math.min(cursor, visible.length - 1) + 1}/${visible.length}` : "";
  const hidden = total - visible.length;
  return (
    <Pane title={`${background ? "background " : ""}calls ${total}${position}${hidden > 0 ? ` · ${hidden} folded` : ""}${process ? ` · ${process}` : ""}`} focused={focused} width={width} rows={rows} color={color}>
      {placeholder !== undefined || visible.length === 0 ? (
        <Row line={{ text: placeholder ?? (background ? "no background calls in this step" : "no calls recorded in this step"), tone: "dim" }} width={width} color={color} />
      ) : (
        shown.slice(start, start + rows).map((shownRow, i) => {
          if (shownRow.kind === "header") return <Row key={`lane${start + i}`} line={{ text: shownRow.text, tone: "heading" }} width={width} color={color} />;
          const { index, item: row } = shownRow;
          const fn = functionOf(functions, row.node.fn);
          const text = `${index === cursor ? "›" : " "}${callRow(row, fn, linked.has(row.node.seq), width - 1, repeats?.get(row.node.seq), walked && row.depth === 0 && row.node.seq === walked.seq ? walked.label : undefined)}`;
          const at = index === cursor ? (focused ? "focused" : "blurred") : undefined;
          return <Row key={row.node.seq} line={{ text, tone: fn?.pkg === "app" ? "app" : "plain" }} width={width} color={color} cursor={at} />;
        })
      )}
    </Pane>
  );
}
