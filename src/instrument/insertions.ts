/**
 * Source edits made only of insertions, so that several passes compose and no
 * original character moves to another line.
 */

/** Text to insert at an offset of the original source. */
export interface Insertion {
  readonly at: number;
  readonly text: string;
  /** Opening text: outer constructs first. Closing text: inner constructs first. */
  readonly side: "open" | "close";
  /** Nesting depth of the construct that asked for the insertion. */
  readonly depth: number;
}

function compare(a: Insertion, b: Insertion): number {
  if (a.at !== b.at) return a.at - b.at;
  if (a.side !== b.side) return a.side === "close" ? -1 : 1;
  return a.side === "open" ? a.depth - b.depth : b.depth - a.depth;
}

/** Applies insertions to `source`. Inserted text must not contain newlines (line numbers are kept). */
export function applyInsertions(source: string, insertions: readonly Insertion[]): string {
  const sorted = [...insertions].sort(compare);
  const parts: string[] = [];
  let last = 0;
  for (const insertion of sorted) {
    parts.push(source.slice(last, insertion.at), insertion.text);
    last = insertion.at;
  }
  parts.push(source.slice(last));
  return parts.join("");
}
