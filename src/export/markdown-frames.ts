/**
 * A step's frames as a table: one row per decoded message (an HTTP request or
 * response, or one WebSocket frame), with every layer it was decoded through.
 * Payloads are untrusted: each lands in a code span that no pipe, backtick or
 * newline can break, cut with `… N more` past the cell limit.
 */
import type { Layer, WireMessage } from "../wire/types.js";
import { layerSummary } from "./text.js";
import { cell, codeCell, count, more, table } from "./markdown-escape.js";
import type { RenderContext } from "./markdown-context.js";
import { connectionEnds, directionWords, type ConnectionEnds } from "../trace/process-names.js";

const LAYER_NAMES: Readonly<Record<Layer["kind"], string>> = {
  "http-request": "HTTP",
  "http-response": "HTTP",
  "ws-frame": "WebSocket",
  "engine.io": "Engine.IO",
  "socket.io": "Socket.IO",
  redis: "Redis",
  adapter: "adapter",
  ipc: "IPC",
  postgres: "Postgres",
};

/** `client → server`, `server → client`; in a trace of several processes `client → server A`, `server B → Redis`. */
export function directionLabel(message: WireMessage, ends?: ReadonlyMap<number, ConnectionEnds>): string {
  return directionWords(ends?.get(message.conn), message.dir);
}

/** The name of the function that wrote (or first read) a message, when the trace links one. */
function callName(ctx: RenderContext, message: WireMessage): string {
  if (message.call === undefined) return "";
  const fn = ctx.functions.get(ctx.callFn.get(message.call) ?? -1);
  return fn ? codeCell(fn.name, 80) : "";
}

/** The table of a step's frames, cut at `maxFrames` rows with the rest counted. */
export function renderFrames(ctx: RenderContext, messages: readonly WireMessage[]): string[] {
  if (!messages.length) return ["No frames: nothing crossed the wire during this step."];
  const shown = messages.slice(0, ctx.options.maxFrames);
  const ends = connectionEnds(ctx.trace);
  const rows = shown.map((message, i) => {
    const decoded = message.layers.map((layer) => codeCell(layerSummary(layer)));
    if (message.malformed) decoded.push(codeCell(`malformed: ${message.malformed}`));
    if (!decoded.length) decoded.push(codeCell(message.raw));
    return [
      String(i + 1),
      directionLabel(message, ends),
      String(message.conn),
      cell(message.layers.map((l) => LAYER_NAMES[l.kind]).join(" → ") || "undecoded"),
      decoded.join("<br>"),
      `${count(message.size)} B`,
      callName(ctx, message),
    ];
  });
  const out = table(["#", "Direction", "Conn", "Layers", "Decoded", "Size", "Written / read by"], rows, ["right", "left", "right", "left", "left", "right", "left"]);
  if (messages.length > shown.length) out.push("", `${more(messages.length - shown.length, "frames")} in this step (the JSON trace has them all).`);
  return out;
}
