/**
 * The frames pane's content: one row per decoded message for the list, and
 * the selected message's decode layer by layer (transport → Engine.IO →
 * Socket.IO) for the detail. Pure.
 */
import { layerSummary } from "../export/text.js";
import type { Layer, WireMessage } from "../wire/types.js";
import { sanitize, wrap } from "./text-fit.js";
import type { Line } from "./theme.js";

/** `→` for bytes the server read, `←` for bytes it wrote. */
export function arrow(message: WireMessage): string {
  return message.dir === "in" ? "→" : "←";
}

/** The list row of a message: direction, connection, the message as text. */
export function frameRow(message: WireMessage): string {
  const raw = sanitize(message.raw) || (message.layers[0]?.kind === "ws-frame" ? `(${message.layers[0].opcodeName} frame)` : "(empty)");
  return `${arrow(message)} c${message.conn} ${raw}`;
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

/** The decode of `message`, `width` columns wide. */
export function frameDetailLines(message: WireMessage | undefined, width: number): Line[] {
  if (!message) return [{ text: "No frame selected.", tone: "dim" }];
  const who = message.dir === "in" ? "client → server" : "server → client";
  const call = message.call !== undefined ? ` · call #${message.call} (g: go to it)` : " · no call recorded";
  const out: Line[] = wrap(`conn ${message.conn} · ${who} · ${message.size} B · t+${(message.time / 1000).toFixed(3)} s${call}`, width, "  ").map((text) => ({ text, tone: "dim" }));
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
