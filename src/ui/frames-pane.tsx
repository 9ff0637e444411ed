/**
 * The frames of the selected step's lane, filtered: a list with time and
 * size columns and connections named by client, and under it the selected
 * frame decoded layer by layer (or its bytes as a hex dump).
 */
import type { ReactNode } from "react";
import type { WireMessage } from "../wire/types.js";
import { connectionLine, type ConnectionName } from "../wire/connection-names.js";
import { frameDetailLines, frameRow } from "./frame-lines.js";
import { keepInView } from "./viewport.js";
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
}

function titleOf(props: FramesPaneProps): string {
  const { messages, total = messages.length, filter, background } = props;
  const lane = background ? "background " : "";
  const count = filter ? `${messages.length}/${total} · ${filter}` : String(messages.length);
  return `${lane}frames ${count} · → read ← written`;
}

/** The frames pane. */
export function FramesPane(props: FramesPaneProps): ReactNode {
  const { messages, listRows, detailRows, width, focused, color, names, since, hex } = props;
  const cursor = Math.min(props.cursor, Math.max(0, messages.length - 1));
  const start = keepInView(cursor, props.scroll, listRows, messages.length);
  const selected = messages[cursor];
  const detail = frameDetailLines(selected, width, selected ? connectionLine(names?.get(selected.conn), selected.conn) : undefined, hex);
  const shown = detail.length > detailRows ? detailRows - 1 : detailRows;
  const rows = listRows + 1 + detailRows;
  const empty = props.total ? "no frame passes the filter (h d w t /: change it)" : props.background ? "no background frames in this step" : "no frames in this step";
  return (
    <Pane title={titleOf(props)} focused={focused} width={width} rows={rows} color={color}>
      {messages.length === 0 ? (
        <Row line={{ text: empty, tone: "dim" }} width={width} color={color} />
      ) : (
        messages.slice(start, start + listRows).map((message, i) => {
          const index = start + i;
          const text = `${index === cursor ? "›" : " "}${frameRow(message, { name: names?.get(message.conn)?.label, since })}`;
          const at = index === cursor ? (focused ? "focused" : "blurred") : undefined;
          return <Row key={`${message.firstChunk}:${index}`} line={{ text, tone: message.dir === "in" ? "in" : "out" }} width={width} color={color} cursor={at} />;
        })
      )}
      {Array.from({ length: Math.max(0, listRows - Math.max(1, messages.length - start)) }, (_, i) => (
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
