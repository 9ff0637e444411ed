/**
 * "What is the next call in the path?" for a step that puts no packet on the
 * wire (`new Server()`, `io.on`, `listen`): the path so far is shown, the
 * answer is the call that came next, the neighbours are other functions of
 * the same package from this step and this trace. Pure.
 */
import type { CallNode, FunctionInfo, Step } from "../../trace/model.js";
import { withNeighbours, type PredictContext, type PredictQuestion } from "./context.js";
import { callRef, claimFor } from "./reasons.js";
import type { Random } from "./seeded.js";

interface Entry {
  readonly node: CallNode;
  /** The callers from the root down, not the call itself. */
  readonly path: readonly CallNode[];
}

/** Every call of `roots` in entry order (pre-order), with its callers; iterative, trees can be deep. */
function entries(roots: readonly CallNode[]): Entry[] {
  const out: Entry[] = [];
  const pending: Entry[] = roots.map((node) => ({ node, path: [] as CallNode[] })).reverse();
  while (pending.length) {
    const entry = pending.pop()!;
    out.push(entry);
    for (let i = entry.node.children.length - 1; i >= 0; i--) pending.push({ node: entry.node.children[i], path: [...entry.path, entry.node] });
  }
  return out;
}

/** The place a function is shown at: `index.js:186`. */
function placeOf(fn: FunctionInfo | undefined): string {
  return fn ? `${fn.pkg} · ${fn.file.split("/").pop()}:${fn.line}` : "";
}

/**
 * The call to ask about: the first call after the step's first one that a
 * held claim of the step names as evidence (the sentence then explains it),
 * else the second call of the step.
 */
function targetOf(step: Step, list: readonly Entry[]): number {
  const evidence = new Set((step.claims ?? []).filter((c) => c.status === "held").flatMap((c) => c.evidence ?? []));
  const named = list.findIndex((e, i) => i > 0 && evidence.has(e.node.seq));
  return named > 0 ? named : 1;
}

/**
 * The next-call question of `step` over its own `roots`, or the reason there
 * is none (a sentence ending the skip's reason).
 */
export function callQuestion(ctx: PredictContext, step: Step, roots: readonly CallNode[], count: number, random: Random): PredictQuestion | string {
  const list = entries(roots);
  if (list.length < 2) return list.length ? "it ran a single call: nothing comes next" : "no call of the traced packages ran in it";
  const { functions } = ctx;
  const at = targetOf(step, list);
  const target = list[at];
  const fn = functions.get(target.node.fn);
  const name = (node: CallNode): string => functions.get(node.fn)?.name ?? `#${node.fn}`;
  const shown = new Set([...target.path.map(name), name(list[at - 1].node)]);
  const samePackage = (f: FunctionInfo | undefined): boolean => f !== undefined && f.pkg === fn?.pkg;
  const inStep = list.map((e) => functions.get(e.node.fn)).filter(samePackage).map((f) => f!.name);
  const inTrace = [...ctx.index.calls.values()].map((c) => functions.get(c.node.fn)).filter(samePackage).map((f) => f!.name);
  const known = ctx.trace.functions.filter(samePackage).map((f) => f.name);
  const tiers = [inStep, inTrace, known].map((tier) => tier.filter((n) => !shown.has(n) && !n.startsWith("<")));
  const { texts, answer } = withNeighbours(name(target.node), tiers, count, random);
  if (texts.length < 2) return `no other function of ${fn?.pkg ?? "its package"} to choose from`;
  const byName = new Map(ctx.trace.functions.map((f) => [f.name, f]));
  const previous = list[at - 1];
  const context = [
    target.path.length ? `the path so far: ${target.path.map(name).join(" → ")}` : "it is a call the step starts with, not called by another traced call",
    ...(previous.node !== target.path[target.path.length - 1] ? [`the call before it: ${name(previous.node)}`] : []),
  ];
  const caller = target.path[target.path.length - 1];
  const claim = claimFor(step, ctx.index, target.node.seq, [fn?.name ?? ""]);
  const code = step.code?.text;
  return {
    kind: "call",
    step: step.index,
    title: step.title,
    ...(code ? { code } : {}),
    prompt: "What is the next call in the path?",
    context,
    choices: texts.map((text) => ({ text, gloss: placeOf(byName.get(text)) })),
    answer,
    why: {
      ...(claim ? { claim } : {}),
      call: callRef(ctx.functions, ctx.index, target.node.seq),
      role: "is",
      ...(caller ? { caller: callRef(ctx.functions, ctx.index, caller.seq) } : {}),
    },
  };
}
