/**
 * The stepper's body when nothing is zoomed or overlaid: the left column (steps and calls), a
 * one-column rule, and the right column (story, source and frames, or the compare pane).
 */
import type { ReactNode } from "react";
import { Box, Text } from "ink";

/** Props of {@link TwoColumns}. */
export interface TwoColumnsProps {
  /** The left column's width; the rule takes one column after it. */
  readonly left: number;
  readonly right: number;
  /** The body's rows, which the rule runs down. */
  readonly rows: number;
  readonly leftPanes: ReactNode;
  readonly rightPanes: ReactNode;
}

function Separator({ rows }: { readonly rows: number }): ReactNode {
  return (
    <Box width={1} height={rows}>
      <Text dimColor>{Array.from({ length: rows }, () => "│").join("\n")}</Text>
    </Box>
  );
}

/** Two columns of panes side by side, with a rule between them. */
export function TwoColumns({ left, right, rows, leftPanes, rightPanes }: TwoColumnsProps): ReactNode {
  return (
    <>
      <Box flexDirection="column" width={left}>
        {leftPanes}
      </Box>
      <Separator rows={rows} />
      <Box flexDirection="column" width={right}>
        {rightPanes}
      </Box>
    </>
  );
}
