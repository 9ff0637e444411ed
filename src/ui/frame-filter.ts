/**
 * The frames pane's filter bar, as DevTools has it: hide heartbeats, keep one
 * direction, one connection, one kind of packet, or frames whose text holds a
 * string. Pure: the reducer changes a {@link FrameFilter}, the app applies it.
 */
import { isHeartbeat } from "../wire/heartbeat-lanes.js";
import type { WireMessage } from "../wire/types.js";

/** What the frames pane hides; every field at its default hides nothing. */
export interface FrameFilter {
  /** Hide Engine.IO ping/pong (and WebSocket ping/pong control frames). */
  readonly hideHeartbeats: boolean;
  readonly dir: "all" | "in" | "out";
  /** Only this connection; undefined for all of them. */
  readonly conn?: number;
  readonly kind: FrameKind;
  /** Only frames whose text holds this (case-insensitive); empty for all. */
  readonly text: string;
}

/** The kinds of message the kind filter cycles through. */
export type FrameKind = "all" | "socket.io" | "engine.io" | "http";

/** The filter that hides nothing. */
export const NO_FILTER: FrameFilter = { hideHeartbeats: false, dir: "all", kind: "all", text: "" };

const KINDS: readonly FrameKind[] = ["all", "socket.io", "engine.io", "http"];
const DIRS: readonly FrameFilter["dir"][] = ["all", "in", "out"];

/** The innermost protocol a message carries: a Socket.IO packet, an Engine.IO-only packet, or bare HTTP/WebSocket. */
export function kindOf(message: WireMessage): Exclude<FrameKind, "all"> {
  if (message.layers.some((l) => l.kind === "socket.io")) return "socket.io";
  if (message.layers.some((l) => l.kind === "engine.io")) return "engine.io";
  return "http";
}

/** The messages `filter` lets through, in order. */
export function applyFilter(messages: readonly WireMessage[], filter: FrameFilter): readonly WireMessage[] {
  if (filter === NO_FILTER) return messages;
  const text = filter.text.toLowerCase();
  return messages.filter(
    (m) =>
      !(filter.hideHeartbeats && isHeartbeat(m)) &&
      (filter.dir === "all" || m.dir === filter.dir) &&
      (filter.conn === undefined || m.conn === filter.conn) &&
      (filter.kind === "all" || kindOf(m) === filter.kind) &&
      (text === "" || m.raw.toLowerCase().includes(text)),
  );
}

function nextOf<T>(list: readonly T[], value: T): T {
  return list[(list.indexOf(value) + 1) % list.length];
}

/** The filter after one press of its key for `what`; `connections` are the ones the connection filter cycles through. */
export function cycleFilter(filter: FrameFilter, what: "heartbeats" | "dir" | "conn" | "kind", connections: readonly number[]): FrameFilter {
  switch (what) {
    case "heartbeats":
      return { ...filter, hideHeartbeats: !filter.hideHeartbeats };
    case "dir":
      return { ...filter, dir: nextOf(DIRS, filter.dir) };
    case "kind":
      return { ...filter, kind: nextOf(KINDS, filter.kind) };
    case "conn": {
      const list: (number | undefined)[] = [undefined, ...connections];
      const at = list.indexOf(filter.conn);
      return { ...filter, conn: list[(at + 1) % list.length] };
    }
  }
}

/** The filter in a few words for the pane's title (empty when it hides nothing), connections named by `name`. */
export function describeFilter(filter: FrameFilter, name: (conn: number) => string = (conn) => `c${conn}`): string {
  const parts: string[] = [];
  if (filter.hideHeartbeats) parts.push("no ping/pong");
  if (filter.dir !== "all") parts.push(filter.dir === "in" ? "→ read only" : "← written only");
  if (filter.conn !== undefined) parts.push(name(filter.conn));
  if (filter.kind !== "all") parts.push(filter.kind === "http" ? "transport only" : `${filter.kind} only`);
  if (filter.text) parts.push(`"${filter.text}"`);
  return parts.join(", ");
}
