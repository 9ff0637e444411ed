// The budgets the bench checks (issue 18 for the load, issue 8 for start-up and export),
// and the loads it measures them under.
import type { LoadProfile } from "./load-run.js";

/** Budgets: ratios to the bare server in the same run, or times. */
export const BUDGET = {
  fullCpu: 1.25,
  fullP99: 1.3,
  framesCpu: 1.05,
  lightP99: 1.2,
  memoryMB: 64,
  warmFirstStepMs: 1000,
  stepperPaintMs: 1500,
  exportMs: 2000,
} as const;

/** A load with its title in the report. */
export type TitledLoad = LoadProfile & { readonly title: string };

/** The loads, bounded in time (durationMs) and in count (maxMessages, over all processes). */
export function loads(quick: boolean): { readonly saturation: TitledLoad; readonly light: TitledLoad } {
  return {
    saturation: {
      title: "saturation: 5 processes × 10 clients × 10 in flight",
      processes: 5,
      clients: 10,
      inFlight: 10,
      durationMs: quick ? 3000 : 6000,
      maxMessages: 2_000_000,
      payloadBytes: 64,
    },
    light: {
      title: "paced light load: 2 processes × 10 clients × 1 message every 40 ms (500 msg/s)",
      processes: 2,
      clients: 10,
      intervalMs: 40,
      durationMs: quick ? 2000 : 4000,
      maxMessages: 10_000,
      payloadBytes: 64,
    },
  };
}
