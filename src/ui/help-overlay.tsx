/**
 * The help overlay: every key and what it does, from the same table the keys
 * are handled by.
 */
import type { ReactNode } from "react";
import { KEY_HELP } from "./keymap.js";
import { Pane, Rows } from "./pane.js";
import type { Line } from "./theme.js";

/** Props of {@link HelpOverlay}. */
export interface HelpOverlayProps {
  readonly rows: number;
  readonly width: number;
  readonly color: boolean;
}

/** The help overlay, in place of the panes. */
export function HelpOverlay({ rows, width, color }: HelpOverlayProps): ReactNode {
  const keyWidth = Math.max(...KEY_HELP.map(([keys]) => keys.length)) + 2;
  const lines: Line[] = [
    ...KEY_HELP.map(([keys, what]): Line => ({ text: `  ${keys.padEnd(keyWidth)}${what}` })),
    { text: "" },
    { text: "  Panes: steps · calls (the call path through socket.io's source) ·", tone: "dim" },
    { text: "  source (the selected call) · frames (decoded, linked to their calls).", tone: "dim" },
  ];
  return (
    <Pane title="help · any key closes" focused width={width} rows={rows} color={color}>
      <Rows lines={lines} start={0} rows={rows} width={width} color={color} />
    </Pane>
  );
}
