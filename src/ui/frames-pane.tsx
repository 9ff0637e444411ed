/**
 * The frames of the selected step's lane, filtered: a list with time and
 * size columns and connections named by client, and under it the selected
 * frame decoded layer by layer (or its bytes as a hex dump).
 */
import type { ReactNode } from "react";
import type { WireMessage } from "../wire/types.js";
import { connectionLine, type ConnectionName } from "../wire/connection-names.js";
import { frameDetailLines, frameRow } from "./frame-lines.js";
import { frameProcess, laneRows, laneWindow, peerWords, type ConnectionPeer, type ProcessLane } from "./process-lanes.js";
import { callText, type IdSpace } from "../trace/process-names.js";
import { Pane, Row, Rows } from "./pane.js";
import type { Line } from "./theme.js";

/** Props of {@link FramesPane}. */
export interface FramesPaneProps {
  /** The frames the filter let through. */
  readonly messages: readonly WireMessage[];
  /** Frames in the lane before filtering. */
  readonly total?: number;
  /** The filter in words (empty when it hides nothing). */
  readonly filter?: string;
  /** Which lane the list is of. */
  readonly background?: boolean;
  readonly names?: ReadonlyMap<number, ConnectionName>;
  /** Times are shown from here (the step's start, ms since the trace started). */
  readonly since?: number;
  /** The selected frame's bytes, shown in place of its decode (the `x` key). */
  readonly hex?: readonly Line[];
  readonly cursor: number;
  readonly scroll: number;
  readonly listRows: number;
  readonly detailRows: number;
  readonly width: number;
  readonly focused: boolean;
  readonly color: boolean;
  /** The trace's processes, in a trace of several: each process's frames under a header of its own. */
  readonly lanes?: readonly ProcessLane[];
  /** Who is at the other end of each connection: a client, Redis, another process over IPC. */
  readonly peers?: ReadonlyMap<number, ConnectionPeer>;
  /** The trace's processes, to name a frame's call as its process numbers it (`B call #7`). */
  readonly ids?: IdSpace;
  /** Set when one process is shown alone (`v`): the title says which. */
  readonly process?: string;
}

function titleOf(props: FramesPaneProps): string {
  const { messages, total = messages.length, filter, background } = props;
  const lane = background ? "background " : "";
  const count = filter ? `${messages.length}/${total} · ${filter}` : String(messages.length);
  return `${lane}frames ${count}${props.process ? ` · ${props.process}` : ""} · → read ← written`;
}

/** The frames pane. */
export function FramesPane(props: FramesPaneProps): ReactNode {
  const { messages, listRows, detailRows, width, focused, color, names, since, hex } = props;
  const cursor = Math.min(props.cursor, Math.max(0, messages.length - 1));
  // Frames come grouped by process (`inView`): a header opens each process's run.
  const shownRows = laneRows(messages, frameProcess, props.lanes ?? []);
  const start = laneWindow(shownRows, cursor, props.scroll, listRows);
  const selected = messages[cursor];
  const words = selected && props.peers ? { who: peerWords(props.peers.get(selected.conn), selected.dir), ...(selected.call !== undefined && props.ids ? { call: callText(props.ids, selected.call) } : {}) } : {};
  const detail = frameDetailLines(selected, width, selected ? connectionLine(names?.get(selected.conn), selected.conn) : undefined, hex, words);
  const shown = detail.length > detailRows ? detailRows - 1 : detailRows;
  const rows = listRows + 1 + detailRows;
  const empty = props.total ? "no frame passes the filter (h d w t /: change it)" : props.background ? "no background frames in this step" : "no frames in this step";
  return (
    <Pane title={titleOf(props)} focused={focused} width={width} rows={rows} color={color}>
      {messages.length === 0 ? (
        <Row line={{ text: empty, tone: "dim" }} width={width} color={color} />
      ) : (
        shownRows.slice(start, start + listRows).map((row, i) => {
          if (row.kind === "header") return <Row key={`lane${start + i}`} line={{ text: row.text, tone: "heading" }} width={width} color={color} />;
          const { index, item: message } = row;
          const text = `${index === cursor ? "›" : " "}${frameRow(message, { name: names?.get(message.conn)?.label, since })}`;
          const at = index === cursor ? (focused ? "focused" : "blurred") : undefined;
          return <Row key={`${message.firstChunk}:${index}`} line={{ text, tone: message.dir === "in" ? "in" : "out" }} width={width} color={color} cursor={at} />;
        })
      )}
      {Array.from({ length: Math.max(0, listRows - Math.max(1, shownRows.length - start)) }, (_, i) => (
        <Row key={`blank${i}`} line={{ text: "" }} width={width} color={color} />
      ))}
      <Row line={{ text: hex ? "── bytes as captured (x: decode)" : "── decode: transport → Engine.IO → Socket.IO (x: hex)", tone: "dim" }} width={width} color={color} />
      {messages.length ? <Rows lines={detail} start={0} rows={shown} width={width} color={color} /> : null}
      {messages.length && detail.length > detailRows ? (
        <Row line={{ text: `… ${detail.length - shown} more lines (z: zoom)`, tone: "dim" }} width={width} color={color} />
      ) : null}
    </Pane>
  );
}
