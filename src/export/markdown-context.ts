/**
 * What every part of the markdown report shares: the trace, the gathered
 * sources, the options, and how a function or a local file is linked.
 */
import { debugByStep } from "../trace/debug-lines.js";
import type { FunctionInfo, LogLine, Trace } from "../trace/model.js";
import { code, link } from "./markdown-escape.js";
import type { ReportSources } from "./report-sources.js";
import { forEachStepCall } from "../trace/turns.js";

/** Options of `renderMarkdown`. */
export interface MarkdownOptions {
  /**
   * Relative path from the report's folder to the project root the trace ran
   * in (`../..` for `traces/chat/REPORT.md`), so local links resolve. Default: same folder.
   */
  readonly linkBase?: string;
  /** The trace went through `stabilize`: no dates or timings are shown. */
  readonly stable?: boolean;
  /** Lines of a step's call list before the rest is counted instead of shown. */
  readonly maxCallLines?: number;
  /** Nesting shown in call lists; deeper calls are counted on their ancestor's line. */
  readonly maxCallDepth?: number;
  /** Rows of a step's frames table. */
  readonly maxFrames?: number;
  /** Source excerpts per step. */
  readonly maxExcerpts?: number;
  /** Lines of one excerpt. */
  readonly maxExcerptLines?: number;
  /** Messages drawn in the sequence diagram. */
  readonly maxDiagramMessages?: number;
}

/** The defaults of {@link MarkdownOptions}. */
export const DEFAULT_MARKDOWN_OPTIONS: Required<MarkdownOptions> = {
  linkBase: "",
  stable: false,
  maxCallLines: 200,
  maxCallDepth: 14,
  maxFrames: 80,
  maxExcerpts: 4,
  maxExcerptLines: 30,
  maxDiagramMessages: 80,
};

/** Shared by the parts of the report. */
export interface RenderContext {
  readonly trace: Trace;
  readonly sources: ReportSources;
  readonly options: Required<MarkdownOptions>;
  readonly functions: ReadonlyMap<number, FunctionInfo>;
  /** `FunctionInfo.id` of every recorded call, by its sequence number. */
  readonly callFn: ReadonlyMap<number, number>;
  /** The traced process's `debug` lines by step index (`DEBUG=…` runs only). */
  readonly debug: ReadonlyMap<number, readonly LogLine[]>;
}

/** Builds the context once per report. */
export function createContext(trace: Trace, sources: ReportSources, options: MarkdownOptions): RenderContext {
  const callFn = new Map<number, number>();
  for (const step of trace.steps) forEachStepCall(step, (seq, fn) => callFn.set(seq, fn));
  return {
    trace,
    sources,
    options: { ...DEFAULT_MARKDOWN_OPTIONS, ...options },
    functions: new Map(trace.functions.map((fn) => [fn.id, fn])),
    callFn,
    debug: debugByStep(trace),
  };
}

/** A relative link to a file of the project, GitHub-style line anchor included. */
export function localHref(ctx: RenderContext, path: string, line?: number, endLine?: number): string {
  const base = ctx.options.linkBase.replace(/\/+$/, "");
  const anchor = line === undefined ? "" : endLine !== undefined && endLine > line ? `#L${line}-L${endLine}` : `#L${line}`;
  return `${base ? `${base}/` : ""}${path}${anchor}`;
}

/** Where a function's name links: its upstream permalink when resolved, else its local file and line. */
export function functionHref(ctx: RenderContext, fn: FunctionInfo): string {
  const upstream = ctx.sources.views.get(fn.id)?.upstream;
  return upstream?.kind === "permalink" ? upstream.url : localHref(ctx, fn.file, fn.line);
}

/** `dist/index.js:224`: the path inside the package (or the project, for the app's own code). */
export function shortLocation(fn: FunctionInfo): string {
  const at = fn.file.lastIndexOf("node_modules/");
  const inPackage = at < 0 ? fn.file : fn.file.slice(at + "node_modules/".length).split("/").slice(fn.file.slice(at + 13).startsWith("@") ? 2 : 1).join("/");
  return `${inPackage}:${fn.line}`;
}

/** `socket.io`, or `your code` for the traced app. */
export function packageLabel(fn: FunctionInfo): string {
  return fn.pkg === "app" ? "your code" : fn.pkg;
}

/** `[`Server.attach`](link) socket.io `dist/index.js:224``: a function as the report names it. */
export function functionRef(ctx: RenderContext, fn: FunctionInfo | undefined, fallbackId?: number): string {
  if (!fn) return code(`#${fallbackId ?? "?"} (unknown function)`);
  return `${link(code(fn.name), functionHref(ctx, fn))} ${packageLabel(fn)} ${code(shortLocation(fn))}`;
}
