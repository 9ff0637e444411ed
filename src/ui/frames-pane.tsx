/**
 * The frames of the selected step: a list, and under it the selected frame
 * decoded layer by layer.
 */
import type { ReactNode } from "react";
import type { WireMessage } from "../wire/types.js";
import { frameDetailLines, frameRow } from "./frame-lines.js";
import { keepInView } from "./viewport.js";
import { Pane, Row, Rows } from "./pane.js";

/** Props of {@link FramesPane}. */
export interface FramesPaneProps {
  readonly messages: readonly WireMessage[];
  readonly cursor: number;
  readonly scroll: number;
  readonly listRows: number;
  readonly detailRows: number;
  readonly width: number;
  readonly focused: boolean;
  readonly color: boolean;
}

/** The frames pane. */
export function FramesPane(props: FramesPaneProps): ReactNode {
  const { messages, listRows, detailRows, width, focused, color } = props;
  const cursor = Math.min(props.cursor, Math.max(0, messages.length - 1));
  const start = keepInView(cursor, props.scroll, listRows, messages.length);
  const detail = frameDetailLines(messages[cursor], width);
  const shown = detail.length > detailRows ? detailRows - 1 : detailRows;
  const rows = listRows + 1 + detailRows;
  return (
    <Pane title={`frames ${messages.length} · → read ← written`} focused={focused} width={width} rows={rows} color={color}>
      {messages.length === 0 ? (
        <Row line={{ text: "no frames in this step", tone: "dim" }} width={width} color={color} />
      ) : (
        messages.slice(start, start + listRows).map((message, i) => {
          const index = start + i;
          const text = `${index === cursor ? "›" : " "}${frameRow(message)}`;
          const at = index === cursor ? (focused ? "focused" : "blurred") : undefined;
          return <Row key={`${message.firstChunk}:${index}`} line={{ text, tone: message.dir === "in" ? "in" : "out" }} width={width} color={color} cursor={at} />;
        })
      )}
      {Array.from({ length: Math.max(0, listRows - Math.max(1, messages.length - start)) }, (_, i) => (
        <Row key={`blank${i}`} line={{ text: "" }} width={width} color={color} />
      ))}
      <Row line={{ text: "── decode: transport → Engine.IO → Socket.IO", tone: "dim" }} width={width} color={color} />
      {messages.length ? <Rows lines={detail} start={0} rows={shown} width={width} color={color} /> : null}
      {messages.length && detail.length > detailRows ? (
        <Row line={{ text: `… ${detail.length - shown} more lines (z: zoom)`, tone: "dim" }} width={width} color={color} />
      ) : null}
    </Pane>
  );
}
