/**
 * Performs a {@link ServerAction} in the traced process, with socket.io's own
 * API (`nsp.to(room).emit`, `socket.emit`, `socket.disconnect`), while the
 * recorder runs: the step's calls are socket.io's, as if the app had made
 * them. Finding the target reads plain fields only (Maps of the server), so
 * the lookup itself adds no call to the step.
 */
import type { ServerAction } from "../server-action.js";
import { liveServers } from "./app-state.js";

interface Emitter {
  emit(event: string, ...args: unknown[]): unknown;
}

interface Target extends Emitter {
  to(room: string): Emitter;
  disconnect(close?: boolean): unknown;
}

function field(object: unknown, key: string): unknown {
  if (typeof object !== "object" || object === null) return undefined;
  const descriptor = Object.getOwnPropertyDescriptor(object, key);
  return descriptor && "value" in descriptor ? descriptor.value : undefined;
}

/** The server's namespace, in the order `liveState()` lists servers (those with namespaces). */
function namespaceOf(action: ServerAction): Target | string {
  const servers = liveServers().filter((io) => field(io, "_nsps") instanceof Map);
  const nsps = field(servers[action.server], "_nsps") as Map<string, Target> | undefined;
  if (!nsps) return `the traced process has no socket.io server #${action.server + 1}`;
  return nsps.get(action.nsp) ?? `the server has no namespace ${action.nsp}`;
}

function socketOf(nsp: Target, id: string): Target | string {
  const sockets = field(nsp, "sockets");
  const socket = sockets instanceof Map ? (sockets.get(id) as Target | undefined) : undefined;
  return socket ?? `socket ${id} is no longer connected`;
}

/** Runs `action`; resolves to why nothing was done, or undefined when it was. */
export function performAction(action: ServerAction): string | undefined {
  const nsp = namespaceOf(action);
  if (typeof nsp === "string") return nsp;
  try {
    if (action.kind === "disconnect") {
      const socket = socketOf(nsp, action.socket);
      if (typeof socket === "string") return socket;
      socket.disconnect();
      return undefined;
    }
    const to = "room" in action.to ? nsp.to(action.to.room) : socketOf(nsp, action.to.socket);
    if (typeof to === "string") return to;
    to.emit(action.event, ...action.args);
    return undefined;
  } catch (error) {
    // socket.io refuses some (a reserved event name): its own words.
    return `socket.io refused it: ${(error as Error)?.message ?? String(error)}`;
  }
}
