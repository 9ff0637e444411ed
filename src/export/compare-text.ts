/**
 * `--compare`: the socket.io (Node) and Flask-SocketIO (Python) call paths of
 * each step, side by side. {@link compareSteps} gives the lines of both
 * columns per step (for the markdown exporter and the stepper);
 * {@link renderCompare} lays them out in two columns cut to a width, each
 * step followed by what each side says (its narration, and the claims this
 * run did not show or no run can, with why) and the Python docstrings it quotes. Pure: traces in, lines out.
 */
import type { CallNode, FunctionInfo, Step, Trace } from "../trace/model.js";
import type { FlaskLibraryDocs } from "../runtime/python/library-docs.js";
import { stepDocItems } from "./step-docs.js";
import { docsMissingText, stepDocsText } from "./step-docs-text.js";
import { CLAIM_LABEL, claimLines, type ClaimLine } from "../claims/claim-lines.js";
import { wrap } from "./text-fit.js";

/** Both call paths of one step. */
export interface CompareStep {
  readonly index: number;
  readonly id: string;
  /** Titles of the step on each side (they name each side's own user code). */
  readonly titles: { readonly node?: string; readonly python?: string };
  /** The Node column: the user's line, then the call tree, one call a line, indented by depth. */
  readonly node: string[];
  /** The Python column, the same way. */
  readonly python: string[];
  /** What each side's step says: its narration (the claims that held) and its other claims' lines. */
  readonly said: { readonly node?: StepSaid; readonly python?: StepSaid };
}

/** What one side's step says: the sentences this run showed, then background and not-seen lines with their reasons. */
export interface StepSaid {
  readonly narration: string;
  readonly lines: readonly ClaimLine[];
}

function saidOf(step: Step | undefined): StepSaid | undefined {
  if (!step) return undefined;
  return { narration: step.explanation, lines: claimLines(step.claims) };
}

/** Options of {@link compareSteps}. */
export interface CompareOptions {
  /** Deepest nesting shown (0: roots only). Deeper calls are counted, not listed. */
  readonly maxDepth?: number;
  /** Call lines per side and step before the rest is summarised. */
  readonly maxLines?: number;
  /** Python calls left out of the column (their callees move up in their place); default {@link isGreenPlumbing}. */
  readonly hidePython?: (fn: FunctionInfo) => boolean;
}

/**
 * eventlet's green sockets, green threads and pools, and its null logger: the
 * plumbing every request goes through, which would push the library's own
 * calls out of a column. The full trace keeps them.
 */
export function isGreenPlumbing(fn: FunctionInfo): boolean {
  if (fn.pkg !== "eventlet") return false;
  return /\/eventlet\/(greenio\/|greenthread\.py|greenpool\.py|convenience\.py)/.test(fn.file) || fn.name.startsWith("LoggerNull.");
}

const DEFAULTS: Required<CompareOptions> = { maxDepth: 5, maxLines: 40, hidePython: isGreenPlumbing };

/** A function's name as a call path reads best: Python's `f.<locals>.g` becomes `f › g`. */
export function pathName(fn: Pick<FunctionInfo, "name"> | undefined, id: number): string {
  if (!fn) return `#${id}`;
  return fn.name.replaceAll(".<locals>.", " › ");
}

function isResumed(node: CallNode): boolean {
  return node.detached === true && node.async !== undefined;
}

/**
 * Names that more than one package of a trace uses (`Server.__init__` in both
 * python-socketio and python-engineio, `Server.attach` in socket.io and
 * engine.io): those are shown as `pkg:name` so a column never reads ambiguously.
 */
function qualifyAmbiguous(functions: readonly FunctionInfo[]): Map<number, FunctionInfo> {
  const packages = new Map<string, Set<string>>();
  for (const fn of functions) packages.set(fn.name, (packages.get(fn.name) ?? new Set()).add(fn.pkg));
  return new Map(functions.map((fn) => [fn.id, (packages.get(fn.name)?.size ?? 0) > 1 ? { ...fn, name: `${fn.pkg}:${fn.name}` } : fn]));
}

function chainLabel(chain: readonly CallNode[], functions: Map<number, FunctionInfo>, hide: (fn: FunctionInfo) => boolean): string {
  const shown = chain.filter((n, i) => {
    const fn = functions.get(n.fn);
    return i === 0 || !fn || !hide(fn);
  });
  const names = shown.map((n) => pathName(functions.get(n.fn), n.fn));
  if (!isResumed(chain[0])) return names[0];
  if (names.length <= 2) return `${names.join(" → ")} (resumed)`;
  return `${names[0]} → … → ${names[names.length - 1]} (resumed, ${names.length} frames deep)`;
}

function column(step: Step | undefined, functions: Map<number, FunctionInfo>, options: Required<CompareOptions>, hide: (fn: FunctionInfo) => boolean): string[] {
  if (!step) return ["(no such step on this side)"];
  const lines: string[] = [step.code ? `${step.code.file}:${step.code.line}  ${step.code.text}` : "(no user code: the library acts on its own)"];
  let shown = 0;
  let hidden = 0;
  const pending: [CallNode, number][] = [...step.calls].reverse().map((n) => [n, 0]);
  while (pending.length) {
    const [node, depth] = pending.pop()!;
    const fn = functions.get(node.fn);
    if (fn && hide(fn)) {
      for (let i = node.children.length - 1; i >= 0; i--) pending.push([node.children[i], depth]);
      continue;
    }
    // A resumed frame that only leads into another resumed frame is one line: the chain a continuation woke up in.
    const chain = [node];
    while (isResumed(chain[chain.length - 1]) && chain[chain.length - 1].children.length === 1 && isResumed(chain[chain.length - 1].children[0])) {
      chain.push(chain[chain.length - 1].children[0]);
    }
    const last = chain[chain.length - 1];
    // Repeats of a leaf call in a row are one line: `name ×N`.
    let repeats = 1;
    while (!last.children.length && chain.length === 1 && pending.length) {
      const [next, nextDepth] = pending[pending.length - 1];
      if (next.fn !== node.fn || nextDepth !== depth || next.children.length || isResumed(next)) break;
      pending.pop();
      repeats++;
    }
    if (depth > options.maxDepth || shown >= options.maxLines) {
      hidden += chain.length + repeats - 1;
    } else {
      lines.push(`${"  ".repeat(depth)}${chainLabel(chain, functions, hide)}${repeats > 1 ? ` ×${repeats}` : ""}`);
      shown++;
    }
    for (let i = last.children.length - 1; i >= 0; i--) pending.push([last.children[i], depth + 1]);
  }
  if (!shown) lines.push("(no traced calls)");
  if (hidden) lines.push(`… ${hidden} more call${hidden === 1 ? "" : "s"}`);
  return lines;
}

/**
 * Pairs the steps of a Node trace and a Flask trace by step id (in the Node
 * trace's order, then any the Flask side has alone) and gives both columns.
 */
export function compareSteps(node: Trace, python: Trace, options: CompareOptions = {}): CompareStep[] {
  const resolved = { ...DEFAULTS, ...options };
  const nodeFns = qualifyAmbiguous(node.functions);
  const pyFns = qualifyAmbiguous(python.functions);
  const ids = [...node.steps.map((s) => s.id), ...python.steps.map((s) => s.id)].filter((id, i, all) => all.indexOf(id) === i);
  return ids.map((id, index) => {
    const n = node.steps.find((s) => s.id === id);
    const p = python.steps.find((s) => s.id === id);
    return {
      index,
      id,
      titles: { node: n?.title, python: p?.title },
      node: column(n, nodeFns, resolved, () => false),
      python: column(p, pyFns, resolved, resolved.hidePython),
      said: { node: saidOf(n), python: saidOf(p) },
    };
  });
}

/** Cuts `text` to `width` characters, marking the cut with `…`. */
export function fit(text: string, width: number): string {
  const chars = [...text];
  if (chars.length <= width) return text + " ".repeat(width - chars.length);
  return width <= 1 ? "…".slice(0, width) : `${chars.slice(0, width - 1).join("")}…`;
}

/** Options of {@link renderCompare}. */
export interface RenderCompareOptions extends CompareOptions {
  /** Terminal width in columns; both columns and the separator fit in it. */
  readonly width: number;
  /** The Python packages' docstrings (`loadFlaskLibraryDocs`): a line per quoted method or option under each step. */
  readonly docs?: FlaskLibraryDocs;
}

const SEPARATOR = " │ ";

/** One side's narration under the columns, wrapped, then its claims that are not narration, each with why. */
function saidText(side: string, said: StepSaid | undefined, width: number): string[] {
  if (!said) return [];
  const out = said.narration ? wrap(`${side}: ${said.narration}`, width, "  ") : [];
  for (const line of said.lines) out.push(...wrap(`  ${CLAIM_LABEL[line.kind]} (${side}): ${line.text} (${line.reason})`, width, "    "));
  return out;
}

/** The side-by-side text of two traces. */
export function renderCompare(node: Trace, python: Trace, options: RenderCompareOptions): string {
  const width = Math.max(40, options.width);
  const side = Math.floor((width - SEPARATOR.length) / 2);
  const row = (left: string, right: string): string => `${fit(left, side)}${SEPARATOR}${fit(right, side)}`.trimEnd();
  const nodePackages = ["socket.io", "engine.io"].map((p) => (node.meta.packages[p] ? `${p}@${node.meta.packages[p]}` : p)).join(", ");
  const pyPackages = ["flask_socketio", "socketio", "engineio"].map((p) => (python.meta.packages[p] ? `${p}@${python.meta.packages[p]}` : p)).join(", ");
  const pyTitle = `Flask-SocketIO (Python ${python.meta.packages.python ?? "?"}; eventlet's green sockets/threads folded)`;
  const out: string[] = [row(`socket.io (Node ${node.meta.node})`, pyTitle), row(nodePackages, pyPackages), ""];
  if (options.docs?.reason) out.push(fit(docsMissingText(options.docs.reason), width).trimEnd(), "");
  const steps = compareSteps(node, python, options);
  for (const step of steps) {
    out.push(fit(`━━ Step ${step.index + 1}/${steps.length} · ${step.id}`, width).trimEnd());
    out.push(row(step.titles.node ?? "", step.titles.python ?? ""));
    const rows = Math.max(step.node.length, step.python.length);
    for (let i = 0; i < rows; i++) out.push(row(step.node[i] ?? "", step.python[i] ?? ""));
    out.push(...saidText("socket.io", step.said.node, width), ...saidText("Flask-SocketIO", step.said.python, width));
    const pyStep = python.steps.find((s) => s.id === step.id);
    if (pyStep && options.docs) out.push(...stepDocsText(stepDocItems(pyStep, python, options.docs)).map((line) => fit(line, width).trimEnd()));
    out.push("");
  }
  return out.join("\n");
}
