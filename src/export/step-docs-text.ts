/**
 * The Flask steps' quoted docstrings in the headless compare text: one line
 * per method or option, cut to the terminal width. Docstrings come from
 * installed packages, so every piece is made printable first.
 * Pure: items in, lines out.
 */
import { escapeControls, printableText } from "../wire/index.js";
import { cutProse } from "./text-cut.js";
import type { DocItem } from "./step-docs.js";

/** Characters of a paragraph before it is cut (the line is cut to the width after). */
const TEXT_LIMIT = 400;

/** Characters of a signature's parameter list before it is cut. */
const PARAMS_LIMIT = 60;

// Backticks mark code for the markdown report; on a terminal they are noise.
function plain(text: string, max = TEXT_LIMIT): string {
  return printableText(text.replace(/`([^`]+)`/g, "$1").replace(/\s+/g, " ").trim(), max);
}

// A docstring's paragraph is cut where a sentence or a word ends.
function prose(text: string): string {
  return cutProse(escapeControls(text.replace(/`([^`]+)`/g, "$1").replace(/\s+/g, " ").trim()), TEXT_LIMIT);
}

/** `socketio.Server.on(event, handler=None, …)`: the qualified name with the signature's parameters, cut short so the docstring stays on screen. */
function callName(item: DocItem): string {
  const params = item.signature?.slice(item.signature.indexOf("("));
  const name = plain(item.name.replace(/\.__init__$/, ""), 80);
  if (!params || !item.signature?.includes("(")) return name;
  return `${name}${params.length > PARAMS_LIMIT ? `${plain(params.slice(0, PARAMS_LIMIT - 1), PARAMS_LIMIT)}…)` : plain(params, PARAMS_LIMIT)}`;
}

function itemLine(item: DocItem): string {
  const name = item.kind === "method" ? callName(item) : plain(item.name, 80);
  const facts = [...(item.place ? [`${item.place.file}:${item.place.line}`] : []), ...item.facts.map((f) => plain(f, 120))];
  const where = facts.length ? ` (${facts.join("; ")})` : "";
  if (item.reason !== undefined) return `${item.kind} ${name}${where}: ${plain(item.reason)}`;
  const text = item.text === undefined ? "no docstring" : prose(item.text);
  const rest = [...(item.moreLines ? [`… ${item.moreLines} more lines`] : []), ...item.notes.map((n) => plain(n, 160))];
  return `${item.kind} ${name}${where}: ${text}${rest.length ? ` ${rest.join(" ")}` : ""}`;
}

/**
 * The lines of one step, the first labelled `library`, the rest indented
 * under it (the same layout as the Node side's headless text).
 */
export function stepDocsText(items: readonly DocItem[]): string[] {
  return items.map((item, i) => `${i === 0 ? "  library " : "          "}${itemLine(item)}`);
}

/** The line said instead when there are no docstrings at all. */
export function docsMissingText(reason: string): string {
  return `Python docstrings not quoted: ${plain(reason)}`;
}
