/**
 * Styled lines and how each tone looks, with or without colour. Without
 * colour (NO_COLOR, --no-color) only bold, dim and inverse remain: they are
 * not colours, and the cursor must stay visible.
 */

/** What a line or a piece of text means, which decides its look. */
export type Tone = "plain" | "heading" | "dim" | "code" | "decl" | "link" | "warn" | "in" | "out" | "app";

/** One row of a pane, before styling. */
export interface Line {
  readonly text: string;
  readonly tone?: Tone;
}

/** Props for ink's `<Text>`. */
export interface TextStyle {
  readonly color?: string;
  readonly bold?: boolean;
  readonly dimColor?: boolean;
}

const COLOURS: Readonly<Record<Tone, string | undefined>> = {
  plain: undefined,
  heading: "cyan",
  dim: undefined,
  code: "green",
  decl: "yellow",
  link: "blue",
  warn: "red",
  in: "cyan",
  out: "magenta",
  app: "green",
};

/** The `<Text>` props of a tone. */
export function toneStyle(tone: Tone | undefined, color: boolean): TextStyle {
  const t = tone ?? "plain";
  const colour = color ? COLOURS[t] : undefined;
  return {
    ...(colour ? { color: colour } : {}),
    ...(t === "heading" || t === "decl" || t === "warn" ? { bold: true } : {}),
    ...(t === "dim" ? { dimColor: true } : {}),
  };
}
