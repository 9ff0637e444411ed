/**
 * Waiting on a run: until a condition holds, until the wire shows a packet.
 *
 * How long a wait on the wire lasts follows the live server, not a fixed
 * clock: a heartbeat is answered (or the connection closed) within the
 * server's pingInterval + pingTimeout, which its open packet tells each
 * client, so no wait gives up sooner than that. And a run that is still at
 * work (a loaded machine: slow, not wrong) keeps the wait open, window after
 * window, up to a ceiling (`IdleWatch`); it gives up once a whole window
 * passed with nothing of the run using the CPU.
 */
import type { Collector } from "../runtime/collector.js";
import { IdleWatch, type Patience } from "../runtime/progress.js";
import type { DecodedMessages } from "./decoded-messages.js";
import type { FrameMatch } from "../trace/claims-spec.js";
import type { WireMessage } from "../wire/types.js";
import { frameMatches } from "../claims/frame-match.js";

/** engine.io's own defaults, for a server whose open packet has not been seen: pingInterval 25 s + pingTimeout 20 s. */
const DEFAULT_HEARTBEAT_MS = 25_000 + 20_000;

/** The shortest window a wait on the wire has, whatever the heartbeat: the client's process may take this long to act. */
export const MIN_WIRE_WAIT_MS = 10_000;

/** How many windows a busy run may keep a wait open: a process spinning in a loop works but never answers. */
const CEILING_WINDOWS = 6;

/** How a wait ended: what it waited for came, or it gave up, and the note then says after how long and why. */
export type WaitEnd = { readonly seen: true } | { readonly seen: false; readonly note: string };

/** The heartbeat a server's last open packet announced (the latest connection's), or undefined when none was seen. */
export function heartbeatOf(messages: readonly WireMessage[]): { readonly pingInterval: number; readonly pingTimeout: number } | undefined {
  for (let i = messages.length - 1; i >= 0; i--) {
    const message = messages[i];
    if (message.dir !== "out") continue;
    for (const layer of message.layers) {
      if (layer.kind !== "engine.io") continue;
      const open = layer.packets.find((p) => p.name === "open");
      if (!open) continue;
      try {
        const data = JSON.parse(open.data) as { pingInterval?: unknown; pingTimeout?: unknown };
        if (typeof data.pingInterval === "number" && typeof data.pingTimeout === "number") return { pingInterval: data.pingInterval, pingTimeout: data.pingTimeout };
      } catch {
        // A malformed open packet tells nothing: an earlier one may.
      }
    }
  }
  return undefined;
}

/** Seconds as a note reads them: `4.5 s`, `10 s`. */
function seconds(ms: number): string {
  return `${Number((ms / 1000).toFixed(1))} s`;
}

/** How long a wait on `messages`' wire lasts, and the note's account of why that long. */
export function wirePatience(messages: readonly WireMessage[]): { readonly patience: Patience; readonly basis: string } {
  const beat = heartbeatOf(messages);
  const heartbeat = beat ? beat.pingInterval + beat.pingTimeout : DEFAULT_HEARTBEAT_MS;
  const told = beat ? `the server's pingInterval + pingTimeout, ${seconds(heartbeat)}` : `engine.io's default pingInterval + pingTimeout, ${seconds(heartbeat)} (no open packet seen)`;
  const idleMs = Math.max(MIN_WIRE_WAIT_MS, heartbeat);
  return { patience: { idleMs, ceilingMs: idleMs * CEILING_WINDOWS }, basis: `windows of ${seconds(idleMs)}: at least ${told}` };
}

/** Why a wait gave up: the watch that ended it, and how long it had waited. */
export interface GaveUp {
  readonly watch: IdleWatch;
  readonly waitedMs: number;
}

/**
 * Polls `done` every 25 ms (calling `poke` each time) until it holds
 * (resolves to undefined), or until `patience` runs out: a window without
 * work, or its ceiling.
 */
export async function waitUntil(done: () => boolean, patience: Patience, poke?: () => void): Promise<GaveUp | undefined> {
  const now = patience.now ?? Date.now;
  const watch = new IdleWatch(patience);
  const started = now();
  while (!done()) {
    if (watch.expired()) return { watch, waitedMs: now() - started };
    poke?.();
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  return undefined;
}

/**
 * Waits on the wire of `messages` until `seen`; the note, when it gives up, follows the patience it had.
 * With `frames`, what is waited for is a frame: once the collector keeps no more chunks it cannot show,
 * and the wait ends there, saying so, instead of running out its windows.
 */
async function waitOnMessages(messages: DecodedMessages, seen: () => boolean, poke: () => void, patience?: Patience, frames = true): Promise<WaitEnd> {
  const chosen = patience ? { patience, basis: `windows of ${seconds(patience.idleMs)}` } : wirePatience(messages.completed());
  const gave = await waitUntil(() => seen() || (frames && messages.full !== undefined), chosen.patience, poke);
  if (gave) return { seen: false, note: `after ${seconds(gave.waitedMs)} (${gave.watch.reason}; ${chosen.basis})` };
  return seen() ? { seen: true } : { seen: false, note: `at once: ${messages.full}` };
}

/**
 * Waits until the client answered a ping (`pong`) or every connection a
 * client opened to the server closed (`close`) after `since`, reading the
 * run's messages as decoded so far (each connection from its start: a
 * WebSocket frame means nothing without the upgrade before it). The
 * connections the server itself opened (an adapter's Redis or Postgres
 * clients) stay open for the life of the app: a close waited on them never
 * comes, and the disconnect step would wait its whole ceiling. `patience`
 * replaces the one the heartbeat gives (tests).
 */
export function waitOnWire(
  collector: Collector,
  messages: DecodedMessages,
  since: number,
  what: "pong" | "close",
  poke: () => void,
  dead: () => boolean,
  patience?: Patience,
): Promise<WaitEnd> {
  const seen = (): boolean => {
    if (dead()) return true;
    if (what === "close") return [...collector.connections.values()].every((c) => c.outgoing === true || c.closed !== undefined);
    return messages.completed().some(
      (m) => m.time >= since && m.dir === "in" && m.layers.some((l) => l.kind === "engine.io" && l.packets.some((p) => p.name === "pong")),
    );
  };
  // A close is a connection event, sent whatever the chunk limits: only a pong is a frame.
  return waitOnMessages(messages, seen, poke, patience, what === "pong");
}

/** Waits until a message matching `match` (a claim's frame match) is on the wire after `since`. */
export function waitForFrame(messages: DecodedMessages, since: number, match: FrameMatch, poke: () => void, dead: () => boolean, patience?: Patience): Promise<WaitEnd> {
  return waitOnMessages(messages, () => dead() || messages.completed().some((m) => m.time >= since && frameMatches(m, match)), poke, patience);
}
