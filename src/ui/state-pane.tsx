/**
 * The state view: the traced server's live state at the selected step, full
 * width in place of the panes (like the log view), scrolled as a whole; `n`/`p`
 * step through it, so each step's state can be read against the last.
 */
import type { ReactNode } from "react";
import { Pane, Rows } from "./pane.js";
import type { Line } from "./theme.js";

/** Props of {@link StatePane}. */
export interface StatePaneProps {
  readonly step: string;
  readonly lines: readonly Line[];
  readonly scroll: number;
  readonly rows: number;
  readonly width: number;
  readonly color: boolean;
}

/** The state view. */
export function StatePane({ step, lines, scroll, rows, width, color }: StatePaneProps): ReactNode {
  const start = Math.max(0, Math.min(scroll, lines.length - rows));
  const more = lines.length > rows ? ` · ${start + 1}-${Math.min(lines.length, start + rows)}/${lines.length}` : "";
  return (
    <Pane title={`server state after ${step}${more} · n/p step · s/esc back`} focused width={width} rows={rows} color={color}>
      <Rows lines={lines} start={start} rows={rows} width={width} color={color} />
    </Pane>
  );
}
