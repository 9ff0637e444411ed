/**
 * The frames pane's content: one row per decoded message for the list, and
 * the selected message's decode layer by layer (transport → Engine.IO →
 * Socket.IO) for the detail. Pure.
 */
import { layerSummary } from "../export/text.js";
import type { Layer, WireMessage } from "../wire/types.js";
import { sanitize, wrap } from "../export/text-fit.js";
import type { Line } from "./theme.js";

/** `→` for bytes the server read, `←` for bytes it wrote. */
export function arrow(message: WireMessage): string {
  return message.dir === "in" ? "→" : "←";
}

/** How a list row names the message's connection and when it is since (the step's start, ms). */
export interface RowContext {
  /** `ws 7Hk2Qf`; default `c<conn>`. */
  readonly name?: string;
  /** Times are shown relative to this (ms since the trace started); default 0. */
  readonly since?: number;
}

/** Bytes in at most five columns: `151B`, `1.2K`, `48K`, `1.1M`. */
export function size(bytes: number): string {
  if (bytes < 1000) return `${bytes}B`;
  if (bytes < 10_240) return `${(bytes / 1024).toFixed(1)}K`;
  if (bytes < 1_024_000) return `${Math.round(bytes / 1024)}K`;
  return `${(bytes / 1_048_576).toFixed(1)}M`;
}

/** The list row of a message: time since the step began, size, direction, connection, the message as text. */
export function frameRow(message: WireMessage, context: RowContext = {}): string {
  const raw = sanitize(message.raw) || (message.layers[0]?.kind === "ws-frame" ? `(${message.layers[0].opcodeName} frame)` : "(empty)");
  const time = `+${(Math.max(0, message.time - (context.since ?? 0)) / 1000).toFixed(3)}`.padStart(7);
  return `${time} ${size(message.size).padStart(5)} ${arrow(message)} ${context.name ?? `c${message.conn}`} ${raw}`;
}

function label(layer: Layer): string {
  switch (layer.kind) {
    case "engine.io":
      return "Engine.IO";
    case "socket.io":
      return "Socket.IO";
    default:
      return "transport";
  }
}

function summary(layer: Layer): string {
  const text = layerSummary(layer);
  return layer.kind === "engine.io" || layer.kind === "socket.io" ? text.replace(/^(Engine|Socket)\.IO /, "") : text;
}

/** How the detail's first line says who sent a frame and which call it is linked to, in a trace of several processes. */
export interface DetailWords {
  /** `Redis → server B`; default `client → server` or `server → client`. */
  readonly who?: string;
  /** `call #B 7`; default `call #<seq>`. */
  readonly call?: string;
}

/**
 * The decode of `message`, `width` columns wide, under a line naming its
 * connection (`connection`, default `conn <n>`), who sent it and its call (`words`); with `hex`,
 * those lines in place of the decode.
 */
export function frameDetailLines(message: WireMessage | undefined, width: number, connection?: string, hex?: readonly Line[], words: DetailWords = {}): Line[] {
  if (!message) return [{ text: "No frame selected.", tone: "dim" }];
  const who = words.who ?? (message.dir === "in" ? "client → server" : "server → client");
  const call = message.call !== undefined ? ` · ${words.call ?? `call #${message.call}`} (g: go to it)` : " · no call recorded";
  const head = `${connection ?? `conn ${message.conn}`} · ${who} · ${message.size} B · t+${(message.time / 1000).toFixed(3)} s${call}`;
  const out: Line[] = wrap(head, width, "  ").map((text) => ({ text, tone: "dim" }));
  if (hex) return [...out, ...hex];
  for (const layer of message.layers) {
    const tone: Line["tone"] = layer.malformed ? "warn" : layer.kind === "socket.io" ? "code" : "plain";
    out.push(...wrap(`${label(layer).padEnd(9)} ${sanitize(summary(layer))}`, width, " ".repeat(10)).map((text) => ({ text, tone })));
    if (layer.kind === "http-request" || layer.kind === "http-response") {
      for (const [name, value] of layer.headers) out.push({ text: `${" ".repeat(10)}${sanitize(name)}: ${sanitize(value)}`, tone: "dim" });
    }
  }
  if (message.malformed) out.push(...wrap(`malformed: ${message.malformed}`, width, "  ").map((text) => ({ text, tone: "warn" as const })));
  return out;
}
