/**
 * The header (where you are, what is running, the last message) and the status
 * line (the keys), one row each.
 */
import type { ReactNode } from "react";
import { Box, Text } from "ink";
import { ACTION_KEY_SUMMARIES, COMPARE_KEY_SUMMARIES, FRAME_KEY_SUMMARIES, KEY_SUMMARIES } from "./keymap.js";
import { fit, width as textWidth } from "../export/text-fit.js";

/** Which keys the status line lists: the panes', the frames pane's own (it has the focus), the compare pane's, the action menu's. */
export type KeyMode = "panes" | "frames" | "compare" | "action";

const SUMMARIES: Readonly<Record<KeyMode, readonly string[]>> = { panes: KEY_SUMMARIES, frames: FRAME_KEY_SUMMARIES, compare: COMPARE_KEY_SUMMARIES, action: ACTION_KEY_SUMMARIES };

/** The longest key summary for `mode` that fits `width` columns. */
export function keySummary(width: number, mode: KeyMode = "panes"): string {
  const summaries = SUMMARIES[mode];
  return summaries.find((s) => textWidth(s) <= width) ?? fit(summaries[summaries.length - 1], width);
}

/** Props of {@link StatusLine}. */
export interface StatusLineProps {
  readonly width: number;
  /** Which keys to list. */
  readonly mode?: KeyMode;
  /** The search being typed, shown in place of the keys. */
  readonly prompt?: string;
  /** Where the search applies: the frames list (a filter) or the call tree (a find). */
  readonly promptTarget?: "frames" | "calls";
}

/** The keys, always visible on the last row; while a search is typed, the search. */
export function StatusLine({ width, mode, prompt, promptTarget }: StatusLineProps): ReactNode {
  if (prompt !== undefined) {
    const what = promptTarget === "frames" ? "⏎ filter the frames (empty: all)" : "⏎ find a call (empty: next match)";
    return (
      <Text wrap="truncate-end" bold>
        {fit(`/${prompt}▏  ${what} · esc cancel`, width)}
      </Text>
    );
  }
  return (
    <Text wrap="truncate-end" dimColor>
      {keySummary(width, mode)}
    </Text>
  );
}

/** Props of {@link Header}. */
export interface HeaderProps {
  readonly left: string;
  /** Activity or the last message; wins the space over `left`. */
  readonly right: string;
  readonly tone?: "busy" | "warn" | "plain";
  readonly width: number;
  readonly color: boolean;
}

/** The first row. */
export function Header({ left, right, tone = "plain", width, color }: HeaderProps): ReactNode {
  const rightText = fit(right, Math.max(0, width - 12));
  const leftText = fit(left, Math.max(0, width - textWidth(rightText) - 2));
  const colour = color ? (tone === "warn" ? "red" : tone === "busy" ? "yellow" : "cyan") : undefined;
  return (
    <Box width={width} height={1} justifyContent="space-between">
      <Text wrap="truncate-end" bold>
        {leftText}
      </Text>
      <Text wrap="truncate-end" bold={tone !== "plain"} {...(colour ? { color: colour } : {})}>
        {rightText}
      </Text>
    </Box>
  );
}
