/**
 * The source pane's content as lines: for a call, its name, local link,
 * permalink, the library's doc comment and the numbered excerpt with the
 * declaration that ran highlighted. Pure: the excerpt comes from `describe`.
 */
import type { SourceView } from "../source/types.js";
import type { CallNode, FunctionInfo, LogLine } from "../trace/model.js";
import { sanitize, wrap } from "../export/text-fit.js";
import type { Line } from "./theme.js";
import { callText, ONE_PROCESS, type IdSpace } from "../trace/process-names.js";

/** What the pane knows of the selected call's source: nothing yet, or the index's answer. */
export type SourceState = SourceView | "loading" | undefined;

function wrapped(text: string, width: number, tone: Line["tone"], indent = ""): Line[] {
  return wrap(text, width, indent).map((line) => ({ text: line, tone }));
}

function kindOf(fn: FunctionInfo): string {
  const where = fn.pkg === "app" ? "your code" : `${fn.pkg}${fn.version ? `@${fn.version}` : ""}`;
  return `${fn.kind}${fn.generated ? ", compiler glue" : ""} · ${where}`;
}

function docLines(view: SourceView, width: number): Line[] {
  if (!view.doc) return [];
  const out: Line[] = [{ text: "From the library:", tone: "heading" }];
  if (view.doc.text) out.push(...wrapped(view.doc.text, width - 2, "plain").map((l) => ({ ...l, text: `  ${l.text}` })));
  for (const tag of view.doc.tags) {
    if (tag.tag === "example") {
      out.push({ text: "  @example", tone: "dim" });
      for (const code of tag.text.split("\n")) out.push({ text: `    ${sanitize(code)}`, tone: "code" });
    } else {
      out.push(...wrapped(`@${tag.tag} ${tag.text}`, width - 2, "dim", "    ").map((l) => ({ ...l, text: `  ${l.text}` })));
    }
  }
  return out;
}

function excerptLines(view: SourceView): Line[] {
  const excerpt = view.excerpt;
  if (!excerpt) return [];
  const digits = String(excerpt.lines.at(-1)?.number ?? 0).length;
  const out: Line[] = [];
  let previous = 0;
  for (const line of excerpt.lines) {
    if (previous && line.number > previous + 1) out.push({ text: `  ${" ".repeat(digits)} ┆ … ${excerpt.omitted} lines left out`, tone: "dim" });
    previous = line.number;
    const decl = line.number === excerpt.declarationLine;
    out.push({ text: `${decl ? "▶" : " "} ${String(line.number).padStart(digits)} │ ${sanitize(line.text)}`, tone: decl ? "decl" : "code" });
  }
  return out;
}

/** What the call printed through `debug` (socket.io's `DEBUG=…` lines), under the call's header. */
function printedLines(printed: readonly LogLine[], width: number): Line[] {
  if (!printed.length) return [];
  const out: Line[] = [{ text: `printed (DEBUG) · ${printed.length} line${printed.length === 1 ? "" : "s"}:`, tone: "heading" }];
  for (const line of printed) out.push(...wrapped(sanitize(line.text), width - 2, "plain", "    ").map((l) => ({ ...l, text: `  ${l.text}` })));
  return out;
}

/**
 * Lines for the call `node` of function `fn`, `width` columns wide, with
 * the `debug` lines it `printed`; calls named as their process numbers them (`ids`: `B call #7`). Long prose wraps here; code lines are left
 * whole for the pane to cut.
 */
export function sourceLines(fn: FunctionInfo | undefined, node: CallNode | undefined, view: SourceState, width: number, printed: readonly LogLine[] = [], ids: IdSpace = ONE_PROCESS): Line[] {
  if (!node) return [{ text: "No call selected.", tone: "dim" }];
  if (!fn) return [{ text: `function #${node.fn} is not in the trace's function table`, tone: "warn" }];
  const out: Line[] = [
    ...wrapped(sanitize(fn.name), width, fn.pkg === "app" ? "app" : "heading"),
    ...wrapped(`${kindOf(fn)} · ${callText(ids, node.seq)} · ${(node.end - node.start).toFixed(2)} ms`, width, "dim"),
  ];
  if (node.async) out.push(...wrapped(`async continuation: ${node.async.kind} scheduled by ${callText(ids, node.async.from)}${node.detached ? " (resumed)" : ""}`, width, "dim"));
  out.push(...wrapped(`${fn.file}:${fn.line}`, width, "link"));
  out.push(...printedLines(printed, width));
  if (view === undefined || view === "loading") {
    out.push({ text: "loading the source…", tone: "dim" });
    return out;
  }
  if (view.upstream.kind === "permalink") out.push(...wrapped(view.upstream.url, width, "link"));
  else out.push(...wrapped(`no upstream permalink: ${view.upstream.reason}`, width, "dim"));
  out.push(...docLines(view, width));
  out.push(...excerptLines(view));
  for (const note of view.notes) out.push(...wrapped(`note: ${note}`, width, "dim"));
  return out;
}
