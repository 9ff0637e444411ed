/**
 * A step's call path as a nested markdown list. Every call is counted; what is
 * shown is shaped to stay readable: runs of identical sibling calls fold into
 * one line (`×3`), compiler glue is taken out of the tree and listed apart,
 * nesting past a depth is counted on the ancestor's line, and the lines are
 * shared fairly among the step's callbacks, each cut with `… N more calls`.
 * The tree is folded in a `<details>` block under its one-line summary.
 */
import { countStepCalls, likeThis, repeatCounts, TURNS_NOTE } from "../trace/turns.js";
import { mapCallTrees } from "../trace/call-map.js";
import type { AsyncKind, CallNode, Step } from "../trace/model.js";
import { code, count, more, plural } from "./markdown-escape.js";
import { functionRef, type RenderContext } from "./markdown-context.js";
import { walkCalls } from "../trace/call-tree.js";

/** One line of the list: a call, or a run of identical calls. */
interface DisplayNode {
  readonly node: CallNode;
  readonly children: readonly DisplayNode[];
  /** How many identical consecutive siblings this line stands for. */
  readonly repeat: number;
  /** Calls this line stands for, repeats and descendants included. */
  readonly calls: number;
  /** Lines the subtree takes when shown in full. */
  readonly lines: number;
  /** Structure id: equal ids, identical subtrees. */
  readonly shape: number;
  /** Turns folded into this line beyond its `repeat` copies (a representative's repeats, `Step.turns`). */
  readonly turns: number;
}

const ORIGIN: Readonly<Record<AsyncKind, string>> = {
  promise: "promise continuation of",
  tick: "process.nextTick from",
  timer: "timer set by",
  immediate: "setImmediate from",
  io: "I/O callback of",
  other: "callback scheduled by",
};

/** Builds the display forest: glue removed (and counted), identical sibling runs folded. */
function buildDisplay(roots: readonly CallNode[], ctx: RenderContext, repeats: ReadonlyMap<number, number>): { forest: DisplayNode[]; glue: Map<string, number> } {
  const shapes = new Map<string, number>();
  const glue = new Map<string, number>();
  const fold = (children: DisplayNode[]): DisplayNode[] => {
    const out: DisplayNode[] = [];
    for (const child of children) {
      const last = out[out.length - 1];
      if (last && last.shape === child.shape) {
        const repeat = last.repeat + child.repeat;
        out[out.length - 1] = { ...last, repeat, calls: last.calls + child.calls, turns: last.turns + child.turns };
      } else out.push(child);
    }
    return out;
  };
  // Counted per representative: its folded turns ran the same glue.
  for (const root of roots) {
    const times = 1 + (repeats.get(root.seq) ?? 0);
    walkCalls([root], (node) => {
      const fn = ctx.functions.get(node.fn);
      if (fn?.generated) glue.set(fn.name, (glue.get(fn.name) ?? 0) + times);
    });
  }
  const forest = mapCallTrees<DisplayNode>(roots, (node, children) => {
    if (ctx.functions.get(node.fn)?.generated) return undefined;
    const folded = fold(children);
    const key = `${node.fn}${node.detached ? "r" : ""}${node.async ? `a${node.async.kind}` : ""}(${folded.map((c) => `${c.shape}x${c.repeat}`).join(",")})`;
    let shape = shapes.get(key);
    if (shape === undefined) {
      shape = shapes.size;
      shapes.set(key, shape);
    }
    return {
      node,
      children: folded,
      repeat: 1,
      calls: 1 + folded.reduce((n, c) => n + c.calls, 0),
      lines: 1 + folded.reduce((n, c) => n + c.lines, 0),
      shape,
      turns: repeats.get(node.seq) ?? 0,
    };
  });
  return { forest: fold(forest), glue };
}

/** The largest per-callback line budget `c` with sum(min(lines, c)) ≤ budget. */
function fairShare(sizes: readonly number[], budget: number): number {
  let low = 1;
  let high = Math.max(1, ...sizes);
  while (low < high) {
    const mid = Math.ceil((low + high) / 2);
    const used = sizes.reduce((n, s) => n + Math.min(s, mid), 0);
    if (used <= budget) low = mid;
    else high = mid - 1;
  }
  return low;
}

function label(ctx: RenderContext, d: DisplayNode, depthCut: boolean): string {
  const fn = ctx.functions.get(d.node.fn);
  let text = functionRef(ctx, fn, d.node.fn);
  if (d.repeat > 1) text += ` ×${d.repeat}`;
  if (d.turns) text += ` (${likeThis(d.turns + d.repeat)})`;
  if (d.node.detached && d.node.async) text += " (resumed after `await`)";
  if (d.node.async) {
    const from = ctx.callFn.get(d.node.async.from);
    const origin = from === undefined ? undefined : ctx.functions.get(from);
    text += origin ? ` — ${ORIGIN[d.node.async.kind]} ${code(origin.name)}` : ` — async (${d.node.async.kind})`;
  }
  if (depthCut) text += ` (+ ${plural(d.calls / d.repeat - 1, "nested call")})`;
  return text;
}

/**
 * Emits one callback's subtree in at most `budget` lines, depth first; when
 * the budget runs out, the last line counts the calls left.
 */
function emitRoot(ctx: RenderContext, root: DisplayNode, budget: number): string[] {
  const lines: string[] = [];
  const { maxCallDepth } = ctx.options;
  const pending: [DisplayNode, number][] = [[root, 0]];
  let shownCalls = 0;
  let linesLeft = root.lines;
  // One line only: the callback itself, its calls counted on it.
  if (budget <= 1 && root.children.length) return [`- ${label(ctx, root, true)}`];
  while (pending.length) {
    const [d, depth] = pending.pop()!;
    if (lines.length === budget - 1 && linesLeft > 1) {
      const left = root.calls - shownCalls;
      lines.push(`${"  ".repeat(depth)}- ${more(left, left === 1 ? "call" : "calls")}`);
      break;
    }
    const cut = depth >= maxCallDepth && d.children.length > 0;
    lines.push(`${"  ".repeat(depth)}- ${label(ctx, d, cut)}`);
    const perCopy = d.calls / d.repeat;
    if (cut) {
      shownCalls += d.calls;
      linesLeft -= d.lines;
      continue;
    }
    // This line stands for the first copy's own call and every other copy whole; the first copy's calls follow.
    shownCalls += 1 + (d.repeat - 1) * perCopy;
    linesLeft -= 1;
    for (let i = d.children.length - 1; i >= 0; i--) pending.push([d.children[i], depth + 1]);
  }
  return lines;
}

/** The call path of a step: a summary line and the nested list. */
export function renderCalls(ctx: RenderContext, step: Step): string[] {
  const total = countStepCalls(step);
  if (total === 0) return ["No function of the socket.io family (or of your code) ran in this step."];
  const { forest, glue } = buildDisplay(step.calls, ctx, repeatCounts(step));
  const budget = ctx.options.maxCallLines;
  const glueCount = [...glue.values()].reduce((n, c) => n + c, 0);
  const out: string[] = [];
  const callbacks = forest.length;
  out.push(
    `${plural(total, "call")} in ${plural(callbacks, "callback")} (each top-level item is one turn of the event loop entering the library)` +
      `${glueCount ? `, ${count(glueCount)} of them compiler glue listed after the tree` : ""}. Names link to the source; repeated identical calls are folded as ×N.` +
      `${step.turns?.length ? ` ${TURNS_NOTE}.` : ""}`,
    "",
  );
  // The tree is evidence, not the story: folded, one click away (GitHub renders `<details>`).
  out.push("<details>", `<summary>The call tree: ${plural(total, "call")}, each linked to its source</summary>`, "");
  const shownRoots = callbacks > budget ? forest.slice(0, Math.max(1, budget - 1)) : forest;
  const share = fairShare(shownRoots.map((r) => r.lines), budget - (shownRoots.length < callbacks ? 1 : 0));
  for (const root of shownRoots) out.push(...emitRoot(ctx, root, Math.min(root.lines, share)));
  if (shownRoots.length < callbacks) {
    const rest = forest.slice(shownRoots.length);
    out.push(`- ${more(rest.length, "callbacks")} (${plural(rest.reduce((n, r) => n + r.calls, 0), "call")})`);
  }
  out.push("", "</details>");
  if (glueCount) {
    const names = [...glue.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
    const shown = names.slice(0, 8).map(([name, n]) => `${code(name)}${n > 1 ? ` ×${n}` : ""}`);
    out.push("", `Compiler glue (TypeScript helpers and re-export getters, no upstream source): ${shown.join(", ")}${names.length > 8 ? `, ${more(names.length - 8, "kinds")}` : ""}.`);
  }
  return out;
}
