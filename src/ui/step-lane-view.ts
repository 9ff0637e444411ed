/**
 * What the stepper's story says of the selected step's lanes (the lanes
 * themselves come from `wire/heartbeat-lanes.ts`, shared with the report). Pure.
 */
import { countCalls } from "../trace/call-tree.js";
import type { Step } from "../trace/model.js";
import type { StepLanes } from "../trace/step-lanes.js";
import type { WireMessage } from "../wire/types.js";

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
