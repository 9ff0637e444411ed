/**
 * Counting a trace's claims by how they fared: for the headless summary, the
 * exit status of checks and the tests.
 */
import type { Trace } from "../trace/model.js";

/** How the claims of a trace fared. */
export interface ClaimTally {
  readonly held: number;
  readonly notSeen: number;
  readonly unchecked: number;
  readonly pending: number;
}

/** Counts the claims of a trace by how they fared. */
export function tallyClaims(trace: Trace): ClaimTally {
  let held = 0;
  let notSeen = 0;
  let unchecked = 0;
  let pending = 0;
  for (const step of trace.steps) {
    for (const claim of step.claims ?? []) {
      if (claim.status === "held") held++;
      else if (claim.status === "not-seen") notSeen++;
      else if (claim.status === "pending") pending++;
      else unchecked++;
    }
  }
  return { held, notSeen, unchecked, pending };
}
