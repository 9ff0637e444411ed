/**
 * Markdown building blocks that stay intact whatever the text contains:
 * payloads from the wire and source from node_modules are untrusted, so every
 * piece of them goes through one of these before it lands in the report.
 * Pure string functions; long text is cut with a visible `… N more`.
 */
import { printableText } from "../wire/text.js";
import { cutProse } from "./text-cut.js";

/** Characters of one table cell or inline code span before it is cut. */
export const INLINE_LIMIT = 240;

/** Characters of one line of a fenced code block before it is cut. */
export const LINE_LIMIT = 200;

/** Longest run of `char` in `text`. */
function longestRun(text: string, char: string): number {
  let best = 0;
  let run = 0;
  for (let i = 0; i < text.length; i++) {
    if (text[i] === char) {
      run++;
      if (run > best) best = run;
    } else run = 0;
  }
  return best;
}

/** One line of printable text: control characters escaped (`\n`, `\x1e`), cut to `max` with `… N more`. */
export function printable(text: string, max = INLINE_LIMIT): string {
  return printableText(text, max);
}

/**
 * An inline code span that shows `text` literally: control characters are
 * escaped so it stays on one line, the delimiter is longer than any backtick
 * run inside, and edge backticks or spaces are padded as CommonMark requires.
 * Empty text becomes `(empty)`, since an empty code span does not exist.
 */
export function code(text: string, max = INLINE_LIMIT): string {
  const shown = printable(text, max);
  if (shown.length === 0) return "(empty)";
  const fence = "`".repeat(longestRun(shown, "`") + 1);
  const allSpaces = /^ +$/.test(shown);
  const pad = !allSpaces && (shown.startsWith("`") || shown.endsWith("`") || (shown.startsWith(" ") && shown.endsWith(" ")));
  return pad ? `${fence} ${shown} ${fence}` : `${fence}${shown}${fence}`;
}

/**
 * Escapes text that is shown as prose: markdown punctuation is backslash-escaped
 * (an underscore between two word characters never starts emphasis, so it is
 * left alone for readability), newlines become spaces, URLs become autolinks.
 */
export function prose(text: string, max = Number.POSITIVE_INFINITY): string {
  const flat = printable(text.replace(/\r\n|[\r\n\t]/g, " "), max);
  let out = "";
  let last = 0;
  // URLs and e-mail addresses become autolinks (with any angle brackets they came in).
  for (const match of flat.matchAll(/<?(https?:\/\/[^\s<>"`]*[^\s<>"`.,;:!?)\]]|[\w.+-]+@[\w-]+(?:\.[\w-]+)+)>?/g)) {
    out += escapeText(flat.slice(last, match.index));
    out += `<${match[1]}>`;
    last = match.index + match[0].length;
  }
  return escapeStart(out + escapeText(flat.slice(last)));
}

function escapeText(text: string): string {
  let out = "";
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === "_" && /[A-Za-z0-9]/.test(text[i - 1] ?? "") && /[A-Za-z0-9]/.test(text[i + 1] ?? "")) out += c;
    else if ("\\`*_[]<>~&".includes(c)) out += `\\${c}`;
    else out += c;
  }
  return out;
}

/**
 * Escapes what would make a paragraph start as something else — a heading,
 * a list item, a rule — and nothing else (`4.8.4` or `-1` stay as they are).
 */
function escapeStart(markdown: string): string {
  if (/^\s*-(?:\s*-){2,}\s*$/.test(markdown)) return markdown.replace("-", "\\-");
  return markdown
    // Any leading `#`: markdownlint takes even `#x` for a heading missing its space.
    .replace(/^(\s*)(#|[+-](?=\s|$)|=+(?=\s*$))/, "$1\\$2")
    .replace(/^(\s*)(\d{1,9})([.)])(?=\s|$)/, "$1$2\\$3");
}

/**
 * Prose that keeps its authors' inline code: balanced backtick spans stay code
 * (re-fenced safely), everything between them is escaped. For doc comments
 * and narration, which are written in markdown-ish text; past `max` it is cut
 * at a sentence or word end.
 */
export function proseWithCode(text: string, max = Number.POSITIVE_INFINITY): string {
  // Cut where a sentence or a word ends: a doc comment cut mid-word reads as a typo.
  const flat = cutProse(text, max);
  let out = "";
  let last = 0;
  for (const match of flat.matchAll(/(`+)([^`]|[^`][\s\S]*?[^`])\1(?!`)/g)) {
    out += prose(flat.slice(last, match.index));
    out += code(match[2].replace(/\s+/g, " ").trim() || match[2]);
    last = match.index + match[0].length;
  }
  return out + prose(flat.slice(last));
}

/**
 * Makes already-safe inline markdown fit in a table cell: pipes escaped,
 * inside code spans too, as GFM requires. GitHub takes any `\|` as an escaped
 * pipe and drops that one backslash; micromark (markdownlint's parser) pairs
 * backslashes first. So a pipe gets an odd number of backslashes before it,
 * which both read as an escaped pipe: GitHub shows the text exactly, except
 * one extra backslash where the text itself had an odd run of them before a pipe.
 */
export function cell(markdown: string): string {
  return markdown.replace(/(\\*)\|/g, (_, slashes: string) => `${slashes}${slashes.length % 2 ? "\\" : ""}\\|`);
}

/** A table cell holding `text` as a code span. */
export function codeCell(text: string, max = INLINE_LIMIT): string {
  return cell(code(text, max));
}

/** A GFM table; cells must already be cell-safe (see {@link cell}). */
export function table(header: readonly string[], rows: readonly (readonly string[])[], align?: readonly ("left" | "right")[]): string[] {
  const line = (cells: readonly string[]): string => `| ${cells.map((c) => c || " ").join(" | ")} |`;
  const rule = header.map((_, i) => (align?.[i] === "right" ? "---:" : "---"));
  return [line(header), `| ${rule.join(" | ")} |`, ...rows.map((row) => line(header.map((_, i) => row[i] ?? "")))];
}

/**
 * A fenced code block: the fence is longer than any backtick run in the
 * content, lines are cut at `LINE_LIMIT` and control characters other than
 * tabs are escaped, so nothing in the content can close or break it.
 */
export function fence(lines: readonly string[], lang = ""): string[] {
  // Tabs become spaces: one rendering everywhere, and no hard tabs for the linter.
  const shown = lines.map((line) => printable(line.replace(/\t/g, "    "), LINE_LIMIT).replace(/\s+$/, ""));
  const run = shown.reduce((n, line) => Math.max(n, longestRun(line, "`")), 0);
  const ticks = "`".repeat(Math.max(3, run + 1));
  const block = [`${ticks}${lang}`, ...shown, ticks];
  // Code whose every line starts with "$ " reads to markdownlint as shell commands without their
  // output (MD014); here it is the app's code or a payload, so the rule is off around this block.
  const dollars = shown.some((line) => line.trim()) && shown.every((line) => !line.trim() || /^\s*\$\s/.test(line));
  return dollars ? ["<!-- markdownlint-disable MD014 -->", "", ...block, "", "<!-- markdownlint-enable MD014 -->"] : block;
}

/** Keeps the first `max` items and says how many were left out, in `noun`. */
export function capList<T>(items: readonly T[], max: number): { readonly kept: readonly T[]; readonly more: number } {
  return items.length <= max ? { kept: items, more: 0 } : { kept: items.slice(0, max), more: items.length - max };
}

/** `… 12 more lines`, the visible mark of something cut. */
export function more(count: number, noun: string): string {
  return `… ${count.toLocaleString("en-US")} more ${noun}`;
}

/** A link target safe inside `(…)`: spaces, parentheses and angle brackets percent-encoded. */
export function linkTarget(url: string): string {
  return url.replace(/[\s()<>]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, "0")}`);
}

/** `[text](url)`, where `text` is already inline markdown. */
export function link(text: string, url: string): string {
  return `[${text}](${linkTarget(url)})`;
}

/**
 * The anchor GitHub gives a heading: lower case, punctuation dropped, spaces
 * to hyphens. Headings the report links to are kept simple enough for this.
 */
export function headingSlug(heading: string): string {
  return heading
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, "")
    .replace(/\s/g, "-");
}

/** `1,234` */
export function count(n: number): string {
  return n.toLocaleString("en-US");
}

/** `1 call`, `2 calls`. */
export function plural(n: number, noun: string, nouns = `${noun}s`): string {
  return `${count(n)} ${n === 1 ? noun : nouns}`;
}

/**
 * Joins lines into a document: trailing spaces dropped and blank lines
 * between blocks never doubled (outside fenced code, whose content is left as
 * it is), no blank lines at either end, one newline at the end.
 */
export function joinBlocks(lines: readonly string[]): string {
  const out: string[] = [];
  let fenceRun = 0;
  for (const raw of lines) {
    // Trailing spaces outside code mean nothing but a hard break, which the report never wants.
    const line = fenceRun ? raw : raw.replace(/\s+$/, "");
    // An opening fence's info string has no backticks; a line like that is a code span, not a fence.
    const open = /^ {0,3}(`{3,})[^`]*$/.exec(line)?.[1].length ?? 0;
    const close = /^ {0,3}(`{3,})\s*$/.exec(line)?.[1].length ?? 0;
    if (fenceRun === 0 && open) fenceRun = open;
    else if (fenceRun && close >= fenceRun) fenceRun = 0;
    else if (fenceRun === 0 && line === "" && (out.length === 0 || out[out.length - 1] === "")) continue;
    out.push(line);
  }
  while (out.length && out[out.length - 1] === "") out.pop();
  return `${out.join("\n")}\n`;
}
