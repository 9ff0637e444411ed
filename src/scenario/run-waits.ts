/**
 * Waiting on a run: until a condition holds, until the wire shows a packet,
 * and how to describe a traced process that ended.
 */
import type { Collector } from "../runtime/collector.js";
import type { LogLine } from "../trace/model.js";
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

/** Says plainly what a well-known failure means (a port in use), else returns the text as it is. */
export function explainFailure(text: string): string {
  const inUse = /EADDRINUSE[^\n]*?(?:(\S+):(\d+))?$/m.exec(text);
  if (inUse) return `port ${inUse[2] ?? "(unknown)"} is already in use: the app could not listen (${inUse[0].trim()})`;
  return text;
}

/** A readable account of a traced process that ended unexpectedly, from its last stderr lines. */
export function describeExit(code: number | null, signal: NodeJS.Signals | null, logs: readonly LogLine[]): string {
  const stderr = logs.filter((l) => l.source === "stderr").slice(-15).map((l) => l.text);
  const text = stderr.join("\n");
  return explainFailure(`the traced app exited unexpectedly (${signal ? `signal ${signal}` : `code ${code}`})${stderr.length ? `:\n${text}` : ""}`);
}
