/**
 * The header (where you are, what is running, the last message) and the status
 * line (the keys), one row each.
 */
import type { ReactNode } from "react";
import { Box, Text } from "ink";
import { KEY_SUMMARIES } from "./keymap.js";
import { fit, width as textWidth } from "./text-fit.js";

/** The longest key summary that fits `width` columns. */
export function keySummary(width: number): string {
  return KEY_SUMMARIES.find((s) => textWidth(s) <= width) ?? fit(KEY_SUMMARIES[KEY_SUMMARIES.length - 1], width);
}

/** Props of {@link StatusLine}. */
export interface StatusLineProps {
  readonly width: number;
}

/** The keys, always visible on the last row. */
export function StatusLine({ width }: StatusLineProps): ReactNode {
  return (
    <Text wrap="truncate-end" dimColor>
      {keySummary(width)}
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
