/**
 * Waiting on a run: until a condition holds, until the wire shows a packet.
 */
import type { Collector } from "../runtime/collector.js";
import type { DecodedMessages } from "./decoded-messages.js";
import type { FrameMatch } from "../trace/claims-spec.js";
import { frameMatches } from "../claims/frame-match.js";

/** Polls `done` every 25 ms (calling `poke` each time) until it holds or `timeoutMs` passes. */
export async function waitUntil(done: () => boolean, timeoutMs: number, poke?: () => void): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() >= deadline) return false;
    poke?.();
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  return true;
}

/**
 * Waits until the client answered a ping (`pong`) or every connection closed
 * (`close`) after `since`, reading the run's messages as decoded so far
 * (each connection from its start: a WebSocket frame means nothing without
 * the upgrade before it).
 */
export function waitOnWire(
  collector: Collector,
  messages: DecodedMessages,
  since: number,
  what: "pong" | "close",
  poke: () => void,
  dead: () => boolean,
): Promise<boolean> {
  const seen = (): boolean => {
    if (dead()) return true;
    if (what === "close") return [...collector.connections.values()].every((c) => c.closed !== undefined);
    return messages.completed().some(
      (m) => m.time >= since && m.dir === "in" && m.layers.some((l) => l.kind === "engine.io" && l.packets.some((p) => p.name === "pong")),
    );
  };
  return waitUntil(seen, 10_000, poke);
}

/** Waits until a message matching `match` (a claim's frame match) is on the wire after `since`. */
export function waitForFrame(messages: DecodedMessages, since: number, match: FrameMatch, poke: () => void, dead: () => boolean): Promise<boolean> {
  return waitUntil(() => dead() || messages.completed().some((m) => m.time >= since && frameMatches(m, match)), 10_000, poke);
}
