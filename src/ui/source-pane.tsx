/**
 * The source pane: the selected call's source (or, while the steps pane has the
 * focus, the selected step's narration), scrolled as a whole.
 */
import type { ReactNode } from "react";
import { Pane, Rows, type ScrolledPaneProps } from "./pane.js";

/** Props of {@link SourcePane}. */
export interface SourcePaneProps extends ScrolledPaneProps {
  readonly title: string;
}

/** The source pane. */
export function SourcePane({ title, lines, scroll, rows, width, focused, color }: SourcePaneProps): ReactNode {
  const start = Math.max(0, Math.min(scroll, lines.length - rows));
  const more = lines.length > rows ? ` · ${start + 1}-${Math.min(lines.length, start + rows)}/${lines.length}` : "";
  return (
    <Pane title={`${title}${more}`} focused={focused} width={width} rows={rows} color={color}>
      <Rows lines={lines} start={start} rows={rows} width={width} color={color} />
    </Pane>
  );
}
