import { describe, expect, it } from "vitest";
import { dropStrayHeartbeats } from "../../src/export/stable-heartbeats.js";
import { stabilize } from "../../src/export/stabilize.js";
import type { Trace } from "../../src/trace/model.js";
import { decodeChunks } from "../../src/wire/index.js";
import { chatTrace } from "../fixtures/export/chat-trace.js";

/** The chat fixture with its heartbeat (ping frame, pong, their calls) fallen into the message step, as under load. */
function pingDuringMessage(): Trace {
  const trace = chatTrace();
  const message = trace.steps.find((s) => s.id === "message")!;
  const heartbeat = trace.steps.find((s) => s.id === "heartbeat")!;
  return {
    ...trace,
    steps: trace.steps.map((step) => {
      if (step === message) return { ...step, calls: [...step.calls, ...heartbeat.calls].sort((a, b) => a.seq - b.seq), chunks: [...step.chunks, ...heartbeat.chunks] };
      if (step === heartbeat) return { ...step, calls: [], chunks: [] };
      return step;
    }),
  };
}

describe("dropStrayHeartbeats", () => {
  it("takes a WebSocket ping/pong and its calls out of a step of user code, the step's own work stays", () => {
    const before = pingDuringMessage();
    const message = chatTrace().steps.find((s) => s.id === "message")!;
    const after = dropStrayHeartbeats(before);
    const step = after.steps.find((s) => s.id === "message")!;
    expect(step.calls.map((c) => c.seq)).toEqual(message.calls.map((c) => c.seq));
    expect(step.chunks).toEqual(message.chunks);
    expect(after.chunks.length).toBe(before.chunks.length - 2);
    const raws = decodeChunks(after.chunks).map((m) => m.raw);
    expect(raws.some((raw) => /\b2\b/.test(raw) && raw.length < 12)).toBe(false);
  });

  it("leaves the heartbeat step's own exchange alone", () => {
    const trace = chatTrace();
    expect(dropStrayHeartbeats(trace)).toBe(trace);
  });

  it("makes the stable message step the same whether a ping fell in it or not", () => {
    const withPing = stabilize(pingDuringMessage()).steps.find((s) => s.id === "message")!;
    const quiet = stabilize(chatTrace()).steps.find((s) => s.id === "message")!;
    expect(withPing.calls).toEqual(quiet.calls);
    expect(withPing.chunks.length).toBe(quiet.chunks.length);
  });
});
