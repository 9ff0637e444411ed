/**
 * Pinned on a real run recorded under two busy loops
 * (`test/fixtures/traces/chat-ping-rearmed.json.gz`): its connect step outlasted
 * a pingInterval, so a ping and its pong went by before the heartbeat step, and
 * the pong's `Socket.onPacket` re-armed engine.io's ping timer (`refresh()` on
 * a timer that has fired gives it a new async resource, linked to the call that
 * refreshed it). The heartbeat step's ping is then linked to onPacket, not to
 * schedulePing; it is still written by schedulePing's timer callback, and the
 * chat's claims hold for it as for the first ping of a quiet run.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { withClaims } from "../../src/claims/apply.js";
import { loadClaims } from "../../src/trace/claims-file.js";
import { PACKAGE_ROOT } from "../../src/trace/scenario.js";
import { parseTraceFile } from "../../src/trace/trace-file.js";

const trace = parseTraceFile(gunzipSync(readFileSync(join(PACKAGE_ROOT, "test/fixtures/traces/chat-ping-rearmed.json.gz"))).toString("utf8"));
const CLAIMS = loadClaims(join(PACKAGE_ROOT, "traces", "chat"))!;

describe("the chat's heartbeat claims on a ping timer the pong re-armed", () => {
  it("is the run it pins: the step's ping timer was armed by Socket.onPacket, after a ping and pong in the connect step", () => {
    const fn = (id: number) => trace.functions.find((f) => f.id === id)?.name;
    const calls = new Map(trace.steps.flatMap((s) => s.calls).flatMap(function walk(n): [number, string | undefined][] {
      return [[n.seq, fn(n.fn)], ...n.children.flatMap(walk)];
    }));
    const heartbeat = trace.steps.find((s) => s.id === "heartbeat")!;
    const timer = heartbeat.calls.find((root) => fn(root.fn) === "<anonymous setTimeout callback in Socket.schedulePing>")!;
    expect(timer.async?.kind).toBe("timer");
    expect(calls.get(timer.async!.from)).toBe("Socket.onPacket");
  });

  it("holds every claim of the chat on it", () => {
    const applied = withClaims(trace, CLAIMS);
    const notSeen = applied.steps.flatMap((s) => (s.claims ?? []).filter((c) => c.status === "not-seen").map((c) => `${s.id}: ${c.text} — ${c.reason}`));
    expect(notSeen).toEqual([]);
    const ping = applied.steps.find((s) => s.id === "heartbeat")!.claims!.find((c) => c.text.includes("schedulePing timer fires"))!;
    expect(ping.status).toBe("held");
  });
});
