/**
 * An index of a trace's calls for the claim checks: every node once, its
 * parent, the call that scheduled it (for async continuations) and its step.
 * Folded turns are not expanded: the whole trees are indexed, and a call of a
 * repeat is found by its turn (binary search) and made when asked for, so the
 * index costs the folded trace's calls, not the run's.
 * Built without recursion: call trees can be deeper than the stack.
 */
import type { CallNode, FunctionInfo, Trace } from "../trace/model.js";
import type { CallName } from "../trace/claims-spec.js";
import { repeatedCall, TurnTable, type PlacedTurn } from "../trace/turn-calls.js";

/** One indexed call. */
export interface IndexedCall {
  readonly node: CallNode;
  /** Sequence number of the synchronous caller, when the call is not a root. */
  readonly parent?: number;
  /** Index of the step whose calls hold it. */
  readonly step: number;
}

/** The calls of a trace, by sequence number and by function. */
export interface CallIndex {
  /** Every call by seq, folded turns' included (made as they are read). */
  readonly calls: ReadonlyMap<number, IndexedCall>;
  /** The trace's functions, by id. */
  readonly functions: ReadonlyMap<number, FunctionInfo>;
  /** Calls of a step (or of every step), in entry order, whose function matches `name`. */
  find(name: CallName, step?: number): IndexedCall[];
  /**
   * True when `seq` ran, directly or through the calls that scheduled its
   * async continuations, under a call whose function matches `name`.
   */
  isUnder(seq: number, name: CallName): boolean;
  /** True when `seq` is `ancestor` or ran under it (synchronously or by scheduling). */
  isWithin(seq: number, ancestor: number): boolean;
  /** True when `seq`, or a call it ran under (synchronously or by scheduling), is one of `first <= seq < end`. */
  isWithinRange(seq: number, first: number, end: number): boolean;
  /** The name the trace gives a call's function. */
  nameOf(seq: number): string;
}

/** `@file:line`: the function declared at that line of a file (the path's tail is enough). */
function placeMatches(fn: FunctionInfo, wanted: string): boolean {
  const colon = wanted.lastIndexOf(":");
  const file = wanted.slice(1, colon);
  return fn.line === Number(wanted.slice(colon + 1)) && (fn.file === file || fn.file.endsWith(`/${file}`));
}

/**
 * True when a function matches a claim's name: the whole name, or the name
 * before a parenthesised qualifier or an ` in <place>`, optionally behind `pkg:`;
 * `*` is any function (`app:*`, any of the app's own), `@file:line` the one declared there.
 */
export function nameMatches(fn: FunctionInfo | undefined, wanted: CallName): boolean {
  if (!fn) return false;
  // `@file:line`; `@socket.io/admin-ui:instrument` is a scoped package's prefix, not a place.
  if (/^@.+:\d+$/.test(wanted)) return placeMatches(fn, wanted);
  const colon = wanted.indexOf(":");
  // A `pkg:` prefix: package names hold no spaces or brackets, function names may hold a colon later on.
  const prefixed = colon > 0 && !/[\s<(]/.test(wanted.slice(0, colon));
  if (prefixed && fn.pkg !== wanted.slice(0, colon)) return false;
  const name = prefixed ? wanted.slice(colon + 1) : wanted;
  if (fn.name === name || name === "*") return true;
  // A qualifier or a place the name carries beyond what the claim says: `Server.on (Server[fn])`, `corsMiddleware in middlewareWrapper`.
  const rest = fn.name.startsWith(name) ? fn.name.slice(name.length) : "";
  return rest.startsWith(" (") || rest.startsWith(" in ");
}

/** A call of a repeat: its representative's entry moved to the turn. */
function placedCall(entry: IndexedCall, placed: PlacedTurn): IndexedCall {
  const node = repeatedCall(entry.node, placed.like, placed.turn);
  const dseq = placed.turn.seq - placed.like.seq;
  return entry.parent === undefined ? { node, step: placed.step } : { node, parent: entry.parent + dseq, step: placed.step };
}

/**
 * The calls by seq: the whole trees' from a map, a folded turn's from its
 * representative's entries (`trees`: each whole root's entries in seq order).
 */
class CallLookup implements ReadonlyMap<number, IndexedCall> {
  constructor(
    private readonly whole: ReadonlyMap<number, IndexedCall>,
    private readonly trees: ReadonlyMap<number, readonly IndexedCall[]>,
    private readonly turns: TurnTable,
  ) {}

  get size(): number {
    let n = this.whole.size;
    for (const [like, turns] of this.turns.likes()) n += turns * (this.trees.get(like)?.length ?? 0);
    return n;
  }

  get(seq: number): IndexedCall | undefined {
    const found = this.whole.get(seq);
    if (found) return found;
    const placed = this.turns.before(seq);
    if (!placed) return undefined;
    const entry = this.whole.get(placed.like.seq + seq - placed.turn.seq);
    const tree = this.trees.get(placed.like.seq);
    // Past the representative's last call, the seq is not one of this turn's.
    return entry && tree && entry.node.seq <= tree[tree.length - 1].node.seq ? placedCall(entry, placed) : undefined;
  }

  has(seq: number): boolean {
    return this.get(seq) !== undefined;
  }

  *entries(): MapIterator<[number, IndexedCall]> {
    for (const call of this.values()) yield [call.node.seq, call];
  }

  *keys(): MapIterator<number> {
    for (const call of this.values()) yield call.node.seq;
  }

  *values(): MapIterator<IndexedCall> {
    yield* this.whole.values();
    for (const placed of this.turns.all()) for (const entry of this.trees.get(placed.like.seq) ?? []) yield placedCall(entry, placed);
  }

  forEach(visit: (value: IndexedCall, key: number, map: ReadonlyMap<number, IndexedCall>) => void): void {
    for (const [seq, call] of this.entries()) visit(call, seq, this);
  }

  [Symbol.iterator](): MapIterator<[number, IndexedCall]> {
    return this.entries();
  }
}

/** Indexes every call of every step of `trace`. */
export function indexCalls(trace: Trace): CallIndex {
  const functions = new Map<number, FunctionInfo>(trace.functions.map((f) => [f.id, f]));
  const whole = new Map<number, IndexedCall>();
  const trees = new Map<number, IndexedCall[]>();
  const order: IndexedCall[] = [];
  for (const step of trace.steps) {
    for (const root of step.calls) {
      const tree: IndexedCall[] = [];
      const pending: { node: CallNode; parent?: number }[] = [{ node: root }];
      while (pending.length) {
        const { node, parent } = pending.pop()!;
        const entry: IndexedCall = parent === undefined ? { node, step: step.index } : { node, parent, step: step.index };
        whole.set(node.seq, entry);
        tree.push(entry);
        order.push(entry);
        for (let i = node.children.length - 1; i >= 0; i--) pending.push({ node: node.children[i], parent: node.seq });
      }
      trees.set(root.seq, tree);
    }
  }
  order.sort((a, b) => a.node.seq - b.node.seq);
  const turns = new TurnTable(trace.steps);
  const calls = new CallLookup(whole, trees, turns);
  /** Per name, each representative's calls that match it: a repeat's matches are its representative's, moved. */
  const matching = new Map<CallName, Map<number, readonly IndexedCall[]>>();
  const matchesOf = (name: CallName, like: number): readonly IndexedCall[] => {
    let byLike = matching.get(name);
    if (!byLike) matching.set(name, (byLike = new Map()));
    let found = byLike.get(like);
    if (!found) byLike.set(like, (found = (trees.get(like) ?? []).filter((c) => nameMatches(functions.get(c.node.fn), name))));
    return found;
  };
  /** Walks from `seq` up through callers and schedulers; stops when `visit` says so. */
  function climb(seq: number, visit: (call: IndexedCall) => boolean): boolean {
    const seen = new Set<number>();
    let at: number | undefined = seq;
    while (at !== undefined && !seen.has(at)) {
      seen.add(at);
      const call = calls.get(at);
      if (!call) return false;
      if (visit(call)) return true;
      at = call.parent ?? call.node.async?.from;
    }
    return false;
  }

  return {
    calls,
    functions,
    find(name, step) {
      const found = order.filter((c) => (step === undefined || c.step === step) && nameMatches(functions.get(c.node.fn), name));
      let folded = false;
      for (const placed of turns.all()) {
        if (step !== undefined && placed.step !== step) continue;
        for (const entry of matchesOf(name, placed.like.seq)) found.push(placedCall(entry, placed));
        folded = true;
      }
      return folded ? found.sort((a, b) => a.node.seq - b.node.seq) : found;
    },
    isUnder(seq, name) {
      const start = calls.get(seq);
      if (!start) return false;
      const from = start.parent ?? start.node.async?.from;
      return from !== undefined && climb(from, (c) => nameMatches(functions.get(c.node.fn), name));
    },
    isWithin(seq, ancestor) {
      return climb(seq, (c) => c.node.seq === ancestor);
    },
    isWithinRange(seq, first, end) {
      return climb(seq, (c) => c.node.seq >= first && c.node.seq < end);
    },
    nameOf(seq) {
      const call = calls.get(seq);
      return (call && functions.get(call.node.fn)?.name) ?? `call #${seq}`;
    },
  };
}
