/**
 * Stepping through folded turns in the calls pane: on a `× N like this` line,
 * `r` shows the next turn of that shape in the representative's place (its own
 * seqs, start time and async link, the representative's calls), `R` the one
 * before; the line says which turn of how many it is. Folded turns are never
 * expanded all at once: one is made when it is shown (`repeatedCall`), and
 * the walk indexes them by their positions in the step's `TurnList` (numbers,
 * no object per turn: a step can hold millions).
 */
import { useMemo, useRef, useState } from "react";
import type { CallNode, Step } from "../trace/model.js";
import { repeatedCall } from "../trace/turn-calls.js";
import { ONE_PROCESS, seqText, type IdSpace } from "../trace/process-names.js";
import type { Action } from "./state.js";
import type { KeyInfo } from "./keymap.js";
import type { KeyTaker } from "./use-stepper-keys.js";
import { visibleCalls, type VisibleCall } from "./visible-calls.js";

/** The turn shown in a representative's place. */
export interface WalkedTurn {
  /** Seq of the root row shown: the turn's own. */
  readonly seq: number;
  /** What its line says instead of `× N like this`: `2/1,234`. */
  readonly label: string;
}

/** The calls pane's trees with the walked turn in its representative's place, and the keys that walk. */
export interface TurnWalk {
  readonly calls: readonly CallNode[];
  readonly visible: readonly VisibleCall[];
  readonly walked?: WalkedTurn;
  readonly keys: KeyTaker;
  /** The call under the cursor as last rendered (keys arrive between renders). */
  readonly cursor: { current: CallNode | undefined };
}

/** Where a walk stands: the representative's seq and the turn shown (0: the representative itself). */
interface WalkAt {
  readonly step: number;
  readonly like: number;
  readonly index: number;
}

/** `turn 3 of 1,234 · +12.5 ms ⟵timer #871`: which turn, when in its step it began, what scheduled it. */
export function walkLabel(index: number, count: number, turn: Pick<CallNode, "start" | "async">, stepStart: number, ids: IdSpace = ONE_PROCESS): string {
  const link = turn.async ? ` ⟵${turn.async.kind} ${seqText(ids, turn.async.from)}` : "";
  return `turn ${(index + 1).toLocaleString("en-US")} of ${count.toLocaleString("en-US")} · +${(turn.start - stepStart).toFixed(1)} ms${link}`;
}

/** The walk over the folded turns of `step`'s lane trees `calls`. */
export function useTurnWalk(step: Step | undefined, calls: readonly CallNode[], visible: readonly VisibleCall[], collapsed: ReadonlySet<number>, dispatch: (action: Action) => void, ids: IdSpace = ONE_PROCESS): TurnWalk {
  const [at, setAt] = useState<WalkAt | undefined>(undefined);
  const cursor = useRef<CallNode | undefined>(undefined);
  // Positions in `step.turns` by representative seq: read through `likeAt`, so no turn is made here.
  const byLike = useMemo(() => {
    const out = new Map<number, number[]>();
    const turns = step?.turns;
    for (let i = 0; turns && i < turns.length; i++) {
      const like = turns.likeAt(i);
      const list = out.get(like);
      if (list) list.push(i);
      else out.set(like, [i]);
    }
    return out;
  }, [step]);
  const live = at && step && at.step === step.index && at.index > 0 ? at : undefined;
  const shown = useMemo(() => {
    const like = live && calls.find((root) => root.seq === live.like);
    const at = like && byLike.get(like.seq)?.[live.index - 1];
    return like && at !== undefined && step?.turns ? { like, node: repeatedCall(like, like, step.turns.at(at)) } : undefined;
  }, [live, calls, byLike, step]);
  const walkedCalls = useMemo(() => (shown ? calls.map((root) => (root === shown.like ? shown.node : root)) : calls), [shown, calls]);
  const walkedVisible = useMemo(() => (shown ? visibleCalls(walkedCalls, collapsed) : visible), [shown, walkedCalls, visible, collapsed]);
  const count = (like: number, turns = byLike): number => (turns.get(like)?.length ?? 0) + 1;
  const walked = shown && live ? { seq: shown.node.seq, label: `${(live.index + 1).toLocaleString("en-US")}/${count(live.like).toLocaleString("en-US")}` } : undefined;

  // Keys arrive between renders: the handler reads the walk as last rendered.
  const now = useRef({ step, calls, byLike, shown, at });
  now.current = { step, calls, byLike, shown, at };
  const keys: KeyTaker = {
    handle(input: string, key: KeyInfo): boolean {
      const { step, calls, byLike, shown, at } = now.current;
      if ((input !== "r" && input !== "R") || key.ctrl || key.meta || !step) return false;
      const node = cursor.current;
      // The row under the cursor: a representative, or the turn shown in its place.
      const like = node && (byLike.has(node.seq) ? node.seq : shown && node === shown.node ? shown.like.seq : undefined);
      if (like === undefined) {
        dispatch({ type: "message", text: "r / R: select a × N like this line first" });
        return true;
      }
      const n = count(like, byLike);
      const index = at && at.step === step.index && at.like === like ? at.index : 0;
      const next = (index + (input === "r" ? 1 : n - 1)) % n;
      setAt({ step: step.index, like, index: next });
      const first = calls.find((root) => root.seq === like);
      const position = next === 0 ? undefined : byLike.get(like)?.[next - 1];
      const turn = next === 0 ? first : position !== undefined ? step.turns?.at(position) : undefined;
      // The whole line goes to the status line: the calls pane is narrow at 80 columns.
      const whose = next === 0 ? "the first, whose calls and per-call times stand for all" : "the first turn's calls at this turn's seqs";
      if (turn) dispatch({ type: "message", text: `${walkLabel(next, n, turn, step.started, ids)} · ${whose}` });
      return true;
    },
  };
  return { calls: walkedCalls, visible: walkedVisible, ...(walked ? { walked } : {}), keys, cursor };
}
