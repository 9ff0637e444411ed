/**
 * How the claims that are not plain narration read, the same in every
 * renderer: sentences no run can check are marked as background, sentences
 * this run did not show are listed with the reason, never as fact.
 */
import type { ClaimResult, Trace } from "../trace/model.js";
import { tallyClaims } from "./tally.js";

/** One line of a step's claims beside its narration. */
export interface ClaimLine {
  readonly kind: "background" | "not-seen" | "pending";
  /** The sentence. */
  readonly text: string;
  /** Why it is not checked, or why it was not seen. */
  readonly reason: string;
}

/** The lines to show beside a step's narration, background first. */
export function claimLines(claims: readonly ClaimResult[] | undefined): ClaimLine[] {
  if (!claims) return [];
  const background = claims.filter((c) => c.status === "unchecked").map((c): ClaimLine => ({ kind: "background", text: c.text, reason: c.reason ?? "" }));
  const later = claims.filter((c) => c.status === "pending").map((c): ClaimLine => ({ kind: "pending", text: c.text, reason: c.reason ?? "" }));
  const missing = claims.filter((c) => c.status === "not-seen").map((c): ClaimLine => ({ kind: "not-seen", text: c.text, reason: c.reason ?? "" }));
  return [...background, ...later, ...missing];
}

/** Labels renderers put before each kind of line. */
export const CLAIM_LABEL: Readonly<Record<ClaimLine["kind"], string>> = {
  background: "background (not something a run shows)",
  "not-seen": "not seen on this run",
  pending: "checked in a later step",
};

/** Every claim of the trace that was not seen, as `step: sentence (reason)`, for the end of a run. */
export function notSeenList(trace: Trace): string[] {
  return trace.steps.flatMap((s) => (s.claims ?? []).filter((c) => c.status === "not-seen").map((c) => `${s.id}: ${c.text} (${c.reason ?? ""})`));
}

/** One sentence for the end of a run: how many claims held, were not seen, or cannot be checked. */
export function claimsSummary(trace: Trace): string | undefined {
  const { held, notSeen, unchecked, pending } = tallyClaims(trace);
  if (!held && !notSeen && !unchecked && !pending) return undefined;
  const parts = [`${held} held on this run`, `${notSeen} not seen`];
  if (pending) parts.push(`${pending} not decided (the run stopped early)`);
  if (unchecked) parts.push(`${unchecked} background, not checkable by a run`);
  return `claims: ${parts.join(", ")}`;
}
