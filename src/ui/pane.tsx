/**
 * The building blocks every pane shares: a title bar (inverse when focused)
 * over a fixed number of one-line rows. Rows never wrap: ink cuts them.
 */
import type { ReactNode } from "react";
import { Box, Text } from "ink";
import { pad } from "../export/text-fit.js";
import { toneStyle, type Line } from "./theme.js";

/** Props of {@link Pane}. */
export interface PaneProps {
  readonly title: string;
  readonly focused: boolean;
  readonly width: number;
  /** Content rows, the title bar not counted. */
  readonly rows: number;
  readonly color: boolean;
  readonly children?: ReactNode;
}

/** A titled, fixed-size pane. */
export function Pane({ title, focused, width, rows, color, children }: PaneProps): ReactNode {
  return (
    <Box flexDirection="column" width={width} height={rows + 1} overflow="hidden">
      <Text wrap="truncate-end" bold inverse={focused} {...(!focused && color ? { color: "cyan" } : {})}>
        {pad(title, width)}
      </Text>
      {children}
    </Box>
  );
}

/** Props shared by the panes that show a list of lines scrolled as a whole (source, compare). */
export interface ScrolledPaneProps {
  readonly lines: readonly Line[];
  /** First line wanted at the top; kept within the lines. */
  readonly scroll: number;
  readonly rows: number;
  readonly width: number;
  readonly focused: boolean;
  readonly color: boolean;
}

/** Props of {@link Row}. */
export interface RowProps {
  readonly line: Line;
  readonly width: number;
  readonly color: boolean;
  /** The cursor's row: inverse in the focused pane, bold elsewhere. */
  readonly cursor?: "focused" | "blurred";
}

/** One row; the cursor row is padded so its highlight spans the pane. */
export function Row({ line, width, color, cursor }: RowProps): ReactNode {
  const style = toneStyle(line.tone, color);
  if (cursor === "focused") {
    return (
      <Text wrap="truncate-end" inverse bold>
        {pad(line.text, width)}
      </Text>
    );
  }
  return (
    <Text wrap="truncate-end" {...style} {...(cursor === "blurred" ? { bold: true } : {})}>
      {line.text === "" ? " " : line.text}
    </Text>
  );
}

/** Props of {@link Rows}. */
export interface RowsProps {
  readonly lines: readonly Line[];
  /** First line shown. */
  readonly start: number;
  readonly rows: number;
  readonly width: number;
  readonly color: boolean;
}

/** A window of `rows` lines starting at `start`: only what is visible is rendered. */
export function Rows({ lines, start, rows, width, color }: RowsProps): ReactNode {
  return lines.slice(start, start + rows).map((line, i) => <Row key={start + i} line={line} width={width} color={color} />);
}
