/**
 * `--stable` about heartbeats: whether an Engine.IO ping falls inside a step of
 * user code (the chat pings every 1.5 s, and under load steps 5–6 can last that
 * long) is timing, not the step's work. A stable trace therefore leaves out of
 * each step with user code the heartbeat frames its background lane holds
 * (`laneView`: ping/pong and what they set off) together with those calls, so
 * two runs agree whether a ping came or not. Steps without user code (the
 * heartbeat step) keep theirs: there the first exchange is the step's work.
 * Only WebSocket heartbeats are taken out: a polling one is an HTTP response
 * whose removal would leave its request unanswered in the stream. Pure.
 */
import { walkCalls } from "../trace/call-tree.js";
import type { Chunk, Trace } from "../trace/model.js";
import { messagesOf } from "../wire/decode-chunks.js";
import { laneView } from "../wire/heartbeat-lanes.js";
import type { WireMessage } from "../wire/types.js";
import { messagesByStep } from "./text.js";

/** The seqs of the chunks `message` spans on its connection and direction. */
function chunksOf(message: WireMessage, byStream: ReadonlyMap<string, readonly Chunk[]>): number[] {
  const stream = byStream.get(`${message.conn}:${message.dir}`) ?? [];
  return stream.filter((c) => c.seq >= message.firstChunk && c.seq <= message.lastChunk).map((c) => c.seq);
}

/** `trace` (its steps expanded, every call present) without the heartbeats that strayed into steps of user code. */
export function dropStrayHeartbeats(trace: Trace): Trace {
  const messages = messagesOf(trace.chunks);
  const byStep = messagesByStep(trace, messages);
  const byStream = new Map<string, Chunk[]>();
  for (const chunk of trace.chunks) byStream.set(`${chunk.conn}:${chunk.dir}`, [...(byStream.get(`${chunk.conn}:${chunk.dir}`) ?? []), chunk]);
  const droppedRoots = new Set<number>();
  const droppedMessages = new Set<WireMessage>();
  for (const step of trace.steps) {
    if (step.code === undefined) continue;
    const lanes = laneView(step, byStep.get(step.index) ?? []);
    if (!lanes.background.messages.length || !lanes.background.messages.every((m) => m.layers.some((l) => l.kind === "ws-frame"))) continue;
    for (const root of lanes.background.calls) droppedRoots.add(root.seq);
    for (const message of lanes.background.messages) droppedMessages.add(message);
  }
  if (!droppedMessages.size) return trace;
  // A chunk goes only when every message on it goes (a read can carry a pong and an event).
  const kept = new Set(messages.filter((m) => !droppedMessages.has(m)).flatMap((m) => chunksOf(m, byStream)));
  const droppedChunks = new Set([...droppedMessages].flatMap((m) => chunksOf(m, byStream)).filter((seq) => !kept.has(seq)));
  const droppedCalls = new Set<number>();
  for (const step of trace.steps) walkCalls(step.calls.filter((root) => droppedRoots.has(root.seq)), (node) => droppedCalls.add(node.seq));
  return {
    ...trace,
    steps: trace.steps.map((step) => ({
      ...step,
      calls: step.calls.filter((root) => !droppedRoots.has(root.seq)),
      chunks: step.chunks.filter((seq) => !droppedChunks.has(seq)),
    })),
    chunks: trace.chunks.filter((chunk) => !droppedChunks.has(chunk.seq)),
    logs: trace.logs.filter((log) => log.call === undefined || !droppedCalls.has(log.call)),
  };
}
