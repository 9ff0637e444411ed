/**
 * The `/` search, submitted: in the frames pane it filters the list by text
 * (DevTools' filter box); anywhere else it finds the next call whose function
 * name holds the text, through folded calls too, in trees of thousands of
 * calls. An empty search repeats the last one. Apart from the reducer because
 * it reads the function table and reveals folded calls, like the jump.
 */
import type { FunctionInfo } from "../trace/model.js";
import { moveCalls } from "./state-cursor.js";
import { stepView, type Env, type UiState } from "./state-model.js";
import { revealing, visibleCalls } from "./visible-calls.js";

/** Names of the trace's functions by id, lower-cased once per trace for matching. */
export type FunctionNames = (id: number) => string;

/** A {@link FunctionNames} over a function table. */
export function functionNames(functions: readonly FunctionInfo[]): FunctionNames {
  const names = new Map(functions.map((f) => [f.id, `${f.name} ${f.file}`.toLowerCase()]));
  return (id) => names.get(id) ?? "";
}

function findCall(state: UiState, env: Env, query: string): UiState {
  const all = visibleCalls(env.calls, new Set());
  const needle = query.toLowerCase();
  const name = env.names ?? (() => "");
  const hits = all.flatMap((row, i) => (name(row.node.fn).includes(needle) ? [i] : []));
  if (hits.length === 0) return { ...state, lastFind: query, message: `no call matches "${query}"` };
  const current = env.visible[stepView(state, state.selected).callCursor]?.node.seq ?? -1;
  const at = all.findIndex((row) => row.node.seq === current);
  const next = hits.find((i) => i > at) ?? hits[0];
  const seq = all[next].node.seq;
  const collapsed = revealing(env.calls, state.collapsed, seq);
  const visible = collapsed === state.collapsed ? env.visible : visibleCalls(env.calls, collapsed);
  const index = visible.findIndex((row) => row.node.seq === seq);
  const moved = moveCalls(state, env, index, collapsed, visible.length, true);
  const nth = hits.indexOf(next) + 1;
  return { ...moved, focus: "calls", lastFind: query, message: `call ${nth}/${hits.length} matching "${query}" · / ⏎ for the next` };
}

/** Applies the search typed so far and closes the prompt. */
export function submitSearch(state: UiState, env: Env): UiState {
  const text = state.prompt?.text ?? "";
  const closed = { ...state, prompt: undefined };
  if (state.focus === "frames") return { ...closed, filter: { ...state.filter, text }, message: text ? `frames holding "${text}" · / ⏎ shows all` : undefined };
  const query = text || state.lastFind || "";
  if (!query) return { ...closed, message: "type what to find, then ⏎" };
  return findCall(closed, env, query);
}
