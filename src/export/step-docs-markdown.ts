/**
 * The Flask steps' "From Flask-SocketIO and python-socketio" in markdown: one
 * list item per quoted method or option, like the Node side's "From the
 * library". Docstrings come from installed packages, so every piece goes
 * through the report's escaping helpers. Pure: items in, lines out.
 */
import { code, link, more, proseWithCode } from "./markdown-escape.js";
import type { DocItem, DocPlace } from "./step-docs.js";

/** Characters of a quoted paragraph before it is cut. */
export const QUOTE_LIMIT = 320;

/** Characters of a signature before it is cut (engineio's `Server(...)` has fifteen parameters). */
export const SIGNATURE_LIMIT = 120;

/** The place as a link to the upstream tag, or the installed path when there is no permalink. */
function placeMarkdown(place: DocPlace): string {
  const at = `${place.file}:${place.line}`;
  const version = place.version ? ` ${place.pkg} ${place.version}` : "";
  if (!place.url) return `${code(`${place.local}:${place.line}`)}${version ? `,${version}` : ""}`;
  const shown = `${link(code(at), place.url)}${version ? `,${version}` : ""}`;
  return place.note ? `${shown}, ${proseWithCode(place.note)}` : shown;
}

function quote(item: DocItem): string {
  if (item.text === undefined) return "no docstring.";
  const cut = item.moreLines ? ` ${more(item.moreLines, item.moreLines === 1 ? "line" : "lines")} in the docstring` : "";
  return `“${proseWithCode(item.text, QUOTE_LIMIT)}”${cut}`;
}

function itemMarkdown(item: DocItem): string {
  const kind = item.kind === "method" ? "Method" : "Option";
  if (item.reason !== undefined) {
    const facts = item.facts.length ? ` (${item.facts.map((f) => proseWithCode(f)).join("; ")})` : "";
    return `- ${kind} ${code(item.name)}${facts}: ${proseWithCode(item.reason)}.`;
  }
  const head = item.kind === "method" ? `- Method ${code(item.name)}${item.signature ? `, called as **${code(item.signature, SIGNATURE_LIMIT)}**` : ""}` : `- Option **${code(item.name)}**`;
  const facts = [...(item.place ? [placeMarkdown(item.place)] : []), ...item.facts.map((f) => proseWithCode(f))];
  const notes = item.notes.map((n) => ` ${proseWithCode(n)}`).join("");
  return `${head}${facts.length ? ` (${facts.join("; ")})` : ""}: ${quote(item)}${notes}`;
}

/** The list of one step; empty when it quotes nothing. */
export function stepDocsMarkdown(items: readonly DocItem[]): string[] {
  return items.map(itemMarkdown);
}
