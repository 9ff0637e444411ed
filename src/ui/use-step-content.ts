/**
 * What the panes show of the selected step, derived from the trace and the UI
 * state: the lane's call trees and frames, the frames the filter lets through,
 * the connections' names and the counts the story tells. Memoised per input,
 * so a live heartbeat rebuilds only what it changed.
 */
import { useMemo } from "react";
import { messagesByStep } from "../export/text.js";
import { countCalls } from "../trace/call-tree.js";
import type { CallNode, Step, Trace } from "../trace/model.js";
import { messagesOf } from "../wire/index.js";
import type { WireMessage } from "../wire/types.js";
import { connectionNames, type ConnectionName } from "../wire/connection-names.js";
import { applyFilter } from "./frame-filter.js";
import type { UiState } from "./state-model.js";
import { laneView } from "../wire/heartbeat-lanes.js";
import { laneCounts, type LaneCounts } from "./step-lane-view.js";
import { visibleCalls, type VisibleCall } from "./visible-calls.js";
import { repeatCounts } from "../trace/turns.js";
import { callProcess, connectionPeers, frameProcess, inView, processLanes, withPeerLabels, type ConnectionPeer, type ProcessLane } from "./process-lanes.js";

/** The selected step's content as the panes show it. */
export interface StepContent {
  readonly step?: Step;
  /** The lane's call trees. */
  readonly calls: readonly CallNode[];
  readonly visible: readonly VisibleCall[];
  /** Calls in the lane, folded or not (repeated turns included). */
  readonly total: number;
  /** Turns folded under each representative root, beyond itself, by its seq (`Step.turns`). */
  readonly repeats: ReadonlyMap<number, number>;
  /** The lane's frames before and after the filter. */
  readonly laneMessages: readonly WireMessage[];
  readonly messages: readonly WireMessage[];
  /** `seq` of calls some frame is linked to. */
  readonly linked: ReadonlySet<number>;
  readonly counts?: LaneCounts;
  readonly names: ReadonlyMap<number, ConnectionName>;
  /** Connections with frames in the lane, for the connection filter. */
  readonly connections: readonly number[];
  /** The trace's processes (none in a trace of one), each a lane of the calls and frames panes. */
  readonly lanes: readonly ProcessLane[];
  /** Who is at the other end of each connection (a client, Redis, another process). */
  readonly peers: ReadonlyMap<number, ConnectionPeer>;
}

const NO_CALLS: readonly CallNode[] = [];
const NO_MESSAGES: readonly WireMessage[] = [];
const NO_REPEATS: ReadonlyMap<number, number> = new Map();

/** The content of the step `state.selected` of `trace`. */
export function useStepContent(trace: Trace, state: Pick<UiState, "selected" | "lane" | "filter" | "collapsed" | "process">): StepContent {
  const decoded = useMemo(() => messagesOf(trace.chunks), [trace.chunks]);
  const byStep = useMemo(() => messagesByStep(trace, decoded), [trace, decoded]);
  const peers = useMemo(() => connectionPeers(trace), [trace.meta, trace.connections]);
  // Redis and IPC connections are named by their peer: a frame row says which kind it is.
  const names = useMemo(() => withPeerLabels(connectionNames(decoded, trace), peers), [decoded, trace.meta, peers]);
  const processes = useMemo(() => processLanes(trace), [trace.meta]);
  const step = state.selected >= 0 ? trace.steps[state.selected] : undefined;
  const stepMessages = (step ? byStep.get(step.index) : undefined) ?? NO_MESSAGES;
  const lanes = useMemo(() => (step ? laneView(step, stepMessages) : undefined), [step, stepMessages]);
  const lane = state.lane === "background" ? lanes?.background : lanes?.own;
  // `v`: every process's lane, one after another, or one process's alone.
  const calls = useMemo(() => inView(lane?.calls ?? NO_CALLS, callProcess, state.process, processes), [lane, state.process, processes]);
  const laneMessages = useMemo(() => inView(lane?.messages ?? NO_MESSAGES, frameProcess, state.process, processes), [lane, state.process, processes]);
  const messages = useMemo(() => applyFilter(laneMessages, state.filter), [laneMessages, state.filter]);
  const visible = useMemo(() => visibleCalls(calls, state.collapsed), [calls, state.collapsed]);
  const linked = useMemo(() => new Set(laneMessages.flatMap((m) => (m.call === undefined ? [] : [m.call]))), [laneMessages]);
  const repeats = useMemo(() => (step ? repeatCounts(step) : NO_REPEATS), [step]);
  // A representative stands for its repeats' calls too.
  const total = useMemo(() => countCalls(calls) + calls.reduce((n, root) => n + (repeats.get(root.seq) ?? 0) * countCalls([root]), 0), [calls, repeats]);
  const counts = useMemo(() => (step && lanes ? laneCounts(step, lanes) : undefined), [step, lanes]);
  const connections = useMemo(() => [...new Set(laneMessages.map((m) => m.conn))].sort((a, b) => a - b), [laneMessages]);
  return { step, calls, visible, total, repeats, laneMessages, messages, linked, counts, names, connections, lanes: processes, peers };
}
