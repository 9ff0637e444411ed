/**
 * The selected step's lanes as the stepper shows them: heartbeats (and what
 * they set off) in the background lane, except in the heartbeat step, whose
 * own work is the first ping/pong exchange on each connection. Pure.
 */
import { countCalls } from "../trace/call-tree.js";
import type { Step } from "../trace/model.js";
import { stepLanes, type LaneTest, type StepLanes } from "../trace/step-lanes.js";
import type { WireMessage } from "../wire/types.js";
import { isHeartbeat } from "./frame-filter.js";

/** What the story says about the step's lanes. */
export interface LaneCounts {
  readonly calls: number;
  readonly frames: number;
  readonly backgroundCalls: number;
  readonly backgroundFrames: number;
  /** Ms of the step's own work, first call or frame to last; undefined without any. */
  readonly workMs?: number;
  /** Ms the step was open (until the next one started, or until now). */
  readonly openMs: number;
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

/** The counts the story shows for `lanes`. */
export function laneCounts(step: Step, lanes: StepLanes<WireMessage>): LaneCounts {
  return {
    calls: countCalls(lanes.own.calls),
    frames: lanes.own.messages.length,
    backgroundCalls: countCalls(lanes.background.calls),
    backgroundFrames: lanes.background.messages.length,
    ...(lanes.work ? { workMs: lanes.work.end - lanes.work.start } : {}),
    openMs: Math.max(0, step.ended - step.started),
  };
}
