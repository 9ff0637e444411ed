/**
 * Which frames are heartbeat, and a step's lanes over its decoded frames:
 * heartbeats (and what they set off) in the background lane, except in the
 * heartbeat step, whose own work is the first ping/pong exchange on each
 * connection. Here, below the report and the stepper, so that both time a
 * step by its own work rather than by how long it stayed open. Pure.
 */
import type { Step } from "../trace/model.js";
import { laneSplit, stepLanes, type LaneTest, type StepLanes } from "../trace/step-lanes.js";
import type { WireMessage } from "./types.js";
import { stepRootSpans } from "../trace/root-spans.js";

/**
 * True for a message that is only heartbeat: Engine.IO ping/pong packets, or
 * a WebSocket ping/pong frame. The upgrade's `2probe`/`3probe` are ping/pong
 * too, but they are the upgrade's own work, not a heartbeat.
 */
export function isHeartbeat(message: WireMessage): boolean {
  for (const layer of message.layers) {
    if (layer.kind === "ws-frame" && (layer.opcodeName === "ping" || layer.opcodeName === "pong")) return true;
    if (layer.kind === "engine.io") return layer.packets.length > 0 && layer.packets.every((p) => (p.name === "ping" || p.name === "pong") && p.data !== "probe");
  }
  return false;
}

/** A message with no Engine.IO packet in it (an HTTP `ok`, a bare request, a close frame) says nothing of its tree. */
function bare(message: WireMessage): boolean {
  return !message.layers.some((l) => l.kind === "engine.io");
}

/**
 * Which of `messages` are background: heartbeats, but in a step without user
 * code (the library acting on its own, as the heartbeat does) only those after
 * its first pong on their connection: that first exchange is the step's work.
 */
function backgroundTest(step: Step, messages: readonly WireMessage[]): LaneTest<WireMessage> {
  const answered = new Map<number, number>();
  if (!step.code) {
    messages.forEach((m, i) => {
      if (m.dir === "in" && isHeartbeat(m) && !answered.has(m.conn)) answered.set(m.conn, i);
    });
  }
  return (message, index) => {
    if (isHeartbeat(message)) return step.code !== undefined || index > (answered.get(message.conn) ?? Infinity);
    return bare(message) ? undefined : false;
  };
}

/** The lanes of `step` over its decoded `messages`. */
export function laneView(step: Step, messages: readonly WireMessage[]): StepLanes<WireMessage> {
  return stepLanes(step.calls, messages, backgroundTest(step, messages));
}

/**
 * Ms of the step's own work (first call or frame of it to the last), not the
 * time it stayed open; undefined when it did nothing of its own.
 */
export function workMs(step: Step, messages: readonly WireMessage[]): number | undefined {
  // Every turn's time counts, the folded ones too (their spans are enough: no turn is made a node).
  const work = laneSplit(stepRootSpans(step), messages, backgroundTest(step, messages)).work;
  return work ? work.end - work.start : undefined;
}
