/**
 * The state view's content as lines: what the traced server held once the
 * step's work was done, as the Socket.IO Admin UI shows it — each namespace
 * with its middlewares, its sockets (rooms, handshake address, transport,
 * query, auth) and its rooms with their members. Pure.
 */
import type { FunctionInfo, LiveFunction, LiveNamespace, LiveState } from "../trace/model.js";
import { sanitize, wrap } from "../export/text-fit.js";
import type { Line } from "./theme.js";

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

/** A middleware by the traced function's readable name and place, else its own name. */
function middlewareName(fn: LiveFunction, functions: ReadonlyMap<number, FunctionInfo>): string {
  const info = fn.fn === undefined ? undefined : functions.get(fn.fn);
  return info ? `${info.name}  ${info.file}:${info.line}` : fn.name || "<anonymous>";
}

function namespaceLines(nsp: LiveNamespace, functions: ReadonlyMap<number, FunctionInfo>, width: number): Line[] {
  const out: Line[] = [{ text: `namespace ${nsp.name} · ${plural(nsp.sockets.length, "socket")} · ${plural(nsp.rooms.length, "room")}`, tone: "heading" }];
  out.push({ text: `  middlewares (${nsp.middlewares.length})${nsp.middlewares.length ? ":" : ": none"}`, tone: "dim" });
  nsp.middlewares.forEach((fn, i) => out.push({ text: `    ${i + 1}. ${sanitize(middlewareName(fn, functions))}`, tone: "app" }));
  out.push({ text: `  sockets (${nsp.sockets.length})${nsp.sockets.length ? ":" : ": none connected"}`, tone: "dim" });
  for (const socket of nsp.sockets) {
    out.push({ text: `    ${socket.id}  ${socket.transport}  from ${socket.address || "?"}`, tone: "plain" });
    out.push({ text: `      rooms: ${socket.rooms.map(sanitize).join(", ") || "(none)"}`, tone: "dim" });
    const query = Object.entries(socket.query).map(([k, v]) => `${k}=${v}`).join("&");
    for (const line of wrap(sanitize(`query: ${query || "(none)"} · auth: ${socket.auth}`), width - 6, "  ")) out.push({ text: `      ${line}`, tone: "dim" });
  }
  out.push({ text: `  rooms (${nsp.rooms.length})${nsp.rooms.length ? ":" : ": none"}`, tone: "dim" });
  for (const room of nsp.rooms) {
    const own = room.members.length === 1 && room.members[0] === room.name ? "  (the socket's own room)" : "";
    out.push({ text: `    ${sanitize(room.name)}: ${room.members.join(", ") || "(empty)"}${own}`, tone: "plain" });
  }
  return out;
}

/**
 * Lines of `state` (a step's `Step.state`), `width` columns wide; `functions`
 * name the traced middlewares.
 */
export function liveStateLines(state: LiveState | undefined, functions: ReadonlyMap<number, FunctionInfo>, width: number): Line[] {
  if (!state) return [{ text: "No server state for this step (recorded before state snapshots, or the server had gone).", tone: "dim" }];
  if (!state.servers.length) return [{ text: "No socket.io server exists yet at this step.", tone: "dim" }];
  const out: Line[] = [];
  state.servers.forEach((server, i) => {
    if (state.servers.length > 1 || i > 0) out.push({ text: `server ${i + 1} · path ${server.path}`, tone: "heading" });
    for (const nsp of server.namespaces) out.push(...namespaceLines(nsp, functions, width), { text: "" });
  });
  return out;
}
