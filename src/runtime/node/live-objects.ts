/**
 * Describes live objects of the traced process for the CLI: the HTTP server's
 * listener lists and a socket.io server's configuration. It only reads plain
 * fields — calling a method here would run traced code and show up in the trace.
 */
import net from "node:net";
import type { ListenerRef, ServerState } from "./protocol.js";

const ENTER = /__tsR\.e\((\d+)\)/;
const EVENTS = ["request", "upgrade", "listening", "close"] as const;

/** Identifies a function by the id the transform wrote into its body. */
export function describeFunction(fn: unknown): ListenerRef {
  if (typeof fn !== "function") return { name: String(fn) };
  const text = Function.prototype.toString.call(fn).slice(0, 400);
  const match = ENTER.exec(text);
  const name = (fn as { name?: string }).name || "<anonymous>";
  return match ? { id: Number(match[1]), name } : { name };
}

/** Listener lists of every HTTP server among `values`, keyed `event`. */
export function describeListeners(values: readonly unknown[]): Record<string, ListenerRef[]> {
  const out: Record<string, ListenerRef[]> = {};
  for (const value of values) {
    if (!(value instanceof net.Server)) continue;
    for (const event of EVENTS) out[event] = [...(out[event] ?? []), ...value.listeners(event).map(describeFunction)];
  }
  return out;
}

function plain(value: unknown, depth: number): unknown {
  if (value === null || value === undefined) return value;
  if (typeof value === "function") return `[function ${(value as { name?: string }).name || "anonymous"}]`;
  if (typeof value !== "object") return typeof value === "bigint" ? String(value) : value;
  if (depth <= 0) return "[…]";
  if (Array.isArray(value)) return value.slice(0, 50).map((v) => plain(v, depth - 1));
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value).slice(0, 50)) {
    const descriptor = Object.getOwnPropertyDescriptor(value, key);
    out[key] = descriptor && "value" in descriptor ? plain(descriptor.value, depth - 1) : "[getter]";
  }
  return out;
}

function field(object: unknown, key: string): unknown {
  if (typeof object !== "object" || object === null) return undefined;
  const descriptor = Object.getOwnPropertyDescriptor(object, key);
  return descriptor && "value" in descriptor ? descriptor.value : undefined;
}

/** Configuration of every socket.io server among `values`. */
export function describeServers(values: readonly unknown[]): ServerState[] {
  const out: ServerState[] = [];
  for (const value of values) {
    const nsps = field(value, "_nsps");
    if (!(nsps instanceof Map) || typeof field(value, "_path") !== "string") continue;
    const adapter = field(value, "_adapter") as { name?: string } | undefined;
    const engine = field(value, "engine");
    const middlewares: Record<string, number> = {};
    for (const [name, nsp] of nsps) middlewares[String(name)] = (field(nsp, "_fns") as unknown[] | undefined)?.length ?? 0;
    out.push({
      path: field(value, "_path") as string,
      connectTimeout: field(value, "_connectTimeout") as number | undefined,
      serveClient: field(value, "_serveClient") as boolean | undefined,
      adapter: adapter?.name,
      engine: (plain(field(engine, "opts"), 3) ?? {}) as Record<string, unknown>,
      namespaces: Array.from(nsps.keys(), String),
      middlewares,
    });
  }
  return out;
}
