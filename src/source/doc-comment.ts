/**
 * Doc comments as text: `/** … *\/` blocks split into a description and tags.
 * Pure, so the same parser serves installed JS, `.d.ts` files and upstream TS.
 */
import type { DocComment, DocTag } from "./types.js";

const TAG_LINE = /^@([A-Za-z][\w-]*)\s?(.*)$/;

/** Removes the `/**`, `*\/` and the `*` gutter; keeps indentation inside code examples. */
function bodyLines(raw: string): string[] {
  const inner = raw.replace(/^\/\*\*+/, "").replace(/\*+\/$/, "");
  return inner
    .split(/\r?\n/)
    .map((line, i) => (i === 0 ? line.trimStart() : line.replace(/^\s*\* ?/, "")).replace(/\s+$/, ""));
}

/** Trims blank lines at both ends without touching inner indentation. */
function trimBlock(lines: readonly string[]): string {
  let start = 0;
  let end = lines.length;
  while (start < end && lines[start]!.trim() === "") start++;
  while (end > start && lines[end - 1]!.trim() === "") end--;
  return lines.slice(start, end).join("\n");
}

/**
 * Parses a raw `/** … *\/` comment. Returns undefined for a comment with neither
 * description nor tags, so callers never show an empty "From the library".
 */
export function parseDocComment(raw: string): DocComment | undefined {
  const description: string[] = [];
  const tags: { tag: string; lines: string[] }[] = [];
  for (const line of bodyLines(raw)) {
    // Inside an @example, an indented `@` is code; only one at the margin starts a tag.
    const inExample = tags.at(-1)?.tag === "example";
    const match = TAG_LINE.exec(inExample ? line : line.trimStart());
    if (match) tags.push({ tag: match[1]!, lines: [match[2]!] });
    else if (tags.length > 0) tags.at(-1)!.lines.push(line);
    else description.push(line);
  }
  const doc: DocComment = {
    text: trimBlock(description),
    tags: tags.map((t): DocTag => ({ tag: t.tag, text: trimBlock(t.lines) })),
  };
  return doc.text === "" && doc.tags.length === 0 ? undefined : doc;
}

/** The text of the first tag of that name (`default`, `returns`…), if any. */
export function docTag(doc: DocComment | undefined, tag: string): string | undefined {
  return doc?.tags.find((t) => t.tag === tag)?.text;
}
