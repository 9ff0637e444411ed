/**
 * The compare pane: the selected step's Node and Python call paths side by
 * side, in place of source and frames, scrolled as a whole.
 */
import type { ReactNode } from "react";
import { COLUMN_SEPARATOR, columnWidths } from "./compare-lines.js";
import { Pane, Rows, type ScrolledPaneProps } from "./pane.js";
import { pad, width as textWidth } from "../export/text-fit.js";

/** Props of {@link ComparePane}; `lines` come from {@link compareLines}, cut to `width`. */
export type ComparePaneProps = ScrolledPaneProps;

/** The title bar names each column above it; the scroll range ends it, at the cost of "(Python)" when narrow. */
function title(width: number, range: string): string {
  const [left, right] = columnWidths(width);
  const python = textWidth(`Flask-SocketIO (Python)${range}`) <= right ? "Flask-SocketIO (Python)" : "Flask-SocketIO";
  return `${pad("socket.io (Node)", left)}${COLUMN_SEPARATOR}${python}${range}`;
}

/** The compare pane. */
export function ComparePane({ lines, scroll, rows, width, focused, color }: ComparePaneProps): ReactNode {
  const start = Math.max(0, Math.min(scroll, lines.length - rows));
  const range = lines.length > rows ? ` ${start + 1}-${Math.min(lines.length, start + rows)}/${lines.length}` : "";
  return (
    <Pane title={title(width, range)} focused={focused} width={width} rows={rows} color={color}>
      <Rows lines={lines} start={start} rows={rows} width={width} color={color} />
    </Pane>
  );
}
