/**
 * Excerpts and local links: the lines that ran, numbered, cut to a readable
 * length. Pure.
 */
import type { Excerpt, LocalLink } from "./types.js";

/** Splits a file into lines the way editors number them. */
export function splitLines(text: string): readonly string[] {
  return text.split(/\r?\n/);
}

/**
 * Lines `line..endLine` (1-based, inclusive). When longer than `maxLines`, the
 * first `maxLines - 1` lines and the last line are kept and the gap is counted,
 * so the reader still sees where the body closes.
 */
export function makeExcerpt(lines: readonly string[], line: number, endLine: number, maxLines: number): Excerpt {
  const first = Math.max(1, Math.min(line, lines.length));
  const last = Math.max(first, Math.min(endLine, lines.length));
  const numbers: number[] = [];
  const total = last - first + 1;
  if (total <= maxLines || maxLines < 2) {
    for (let n = first; n <= Math.min(last, first + Math.max(maxLines, 1) - 1); n++) numbers.push(n);
  } else {
    for (let n = first; n < first + maxLines - 1; n++) numbers.push(n);
    numbers.push(last);
  }
  return {
    declarationLine: first,
    lines: numbers.map((number) => ({ number, text: lines[number - 1] ?? "" })),
    omitted: total - numbers.length,
  };
}

/** `node_modules/engine.io/build/server.js:661`. */
export function localLink(path: string, line: number, endLine: number): LocalLink {
  return { path, line, endLine, text: `${path}:${line}` };
}
