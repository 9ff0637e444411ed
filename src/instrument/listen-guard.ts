/**
 * Watches `server.listen(...)` in the traced process: notes the app's line as a
 * call site during start-up, and keeps servers on loopback (any other address,
 * all interfaces included, becomes 127.0.0.1) unless the user allowed more with
 * --host — a tracer must not expose someone's app to the network.
 *
 * The rewrite must not change what the app sees. Node binds a host-less
 * `listen(port)` synchronously (`server.address()` is set on return), but any
 * call naming a host goes through `dns.lookup` first, even for an IP literal,
 * so naively adding "127.0.0.1" would leave `address()` null after `listen()`.
 * A rewritten host-less call therefore gets its lookup of the loopback literal
 * answered synchronously, which binds as the bare call would; a call that named
 * a host keeps its asynchronous lookup, as it would untraced. The `listening`
 * event, the callback, `backlog`, `exclusive`, `signal` and errors (EADDRINUSE
 * on the next tick) are Node's own. What differs is where it is bound:
 * `address()` says `{ address: "127.0.0.1", family: "IPv4", port }` where the
 * bare call would say `{ address: "::", family: "IPv6", port }`, and an error's
 * `address` is 127.0.0.1.
 */
import dns from "node:dns";
import net from "node:net";
import { isLoopback } from "./loopback.js";

/** What the guard reports. */
export interface ListenGuardHooks {
  /** Called on every listen call, with the function to hide from stack traces. */
  readonly onListen: (server: net.Server, above: (...args: never[]) => unknown) => void;
  /** Called when a server emits `listening`, before its listeners run. */
  readonly onListening?: (server: net.Server) => void;
  /** Host to force when the app asks for all interfaces; undefined: leave it. */
  readonly loopback?: string;
  readonly onRewrite: (from: string | undefined, to: string) => void;
}

/** A listen call moved to loopback. */
export interface Rewrite {
  /** The arguments to call Node's listen with. */
  readonly args: unknown[];
  /** The host the app asked for; undefined for none (all interfaces). */
  readonly from: string | undefined;
  /** True when the bare call binds synchronously (it named no host). */
  readonly sync: boolean;
}

/** Node's `toNumber` in net.js: a non-negative number, else false. */
function toNumber(value: unknown): number | false {
  const n = Number(value);
  return n >= 0 ? n : false;
}

function isHandle(options: Record<string, unknown>): boolean {
  return "handle" in options || "_handle" in options || typeof options.fd === "number" || typeof options.path === "string";
}

/**
 * How a listen call is moved to `loopback`, read the way Node's own
 * `normalizeArgs` reads it; undefined when it stays as it is (a pipe, a handle,
 * a loopback host, an invalid call Node itself must reject).
 */
export function rewriteListen(args: readonly unknown[], loopback: string): Rewrite | undefined {
  const first = args[0];
  const last = args[args.length - 1];
  const cb = typeof last === "function" ? [last] : [];
  if (typeof first === "object" && first !== null) {
    const options = first as Record<string, unknown>;
    if (Array.isArray(first) || isHandle(options) || !("port" in options)) return undefined;
    const host = options.host;
    if (typeof host === "string" && host !== "" && isLoopback(host)) return undefined;
    return { args: [{ ...options, host: loopback }, ...cb], from: typeof host === "string" && host ? host : undefined, sync: !host };
  }
  // A string that is not a number is a pipe's path.
  if (typeof first === "string" && toNumber(first) === false) return undefined;
  const host = args.length > 1 && typeof args[1] === "string" ? args[1] : undefined;
  if (host && isLoopback(host)) return undefined;
  const backlog = toNumber(args.length > 1 && args[1]) || toNumber(args.length > 2 && args[2]);
  // listen(), listen(cb) and listen(null) take any free port, as `port: undefined` does.
  const port = typeof first === "function" ? undefined : first;
  const options: Record<string, unknown> = { port, host: loopback };
  if (backlog) options.backlog = backlog;
  return { args: [options, ...cb], from: host || undefined, sync: !host };
}

type LookupCallback = (error: Error | null, address: unknown, family?: number) => void;

/** Runs `bind` with `dns.lookup` answering `ip` at once, as Node does for a host-less listen. */
function withSyncLookup<T>(ip: string, bind: () => T): T {
  const lookup = dns.lookup;
  const family = net.isIP(ip);
  (dns as { lookup: unknown }).lookup = function syncLookup(hostname: string, options: unknown, callback?: LookupCallback) {
    const done = (typeof options === "function" ? options : callback) as LookupCallback;
    if (hostname !== ip) return Reflect.apply(lookup, dns, arguments) as unknown;
    const all = typeof options === "object" && options !== null && (options as { all?: boolean }).all;
    if (all) done(null, [{ address: ip, family }]);
    else done(null, ip, family);
    return undefined;
  };
  try {
    return bind();
  } finally {
    (dns as { lookup: unknown }).lookup = lookup;
  }
}

/** Patches `net.Server.prototype.listen` (http.Server inherits it) and watches `listening`. */
export function guardListen(hooks: ListenGuardHooks): void {
  const original = net.Server.prototype.listen;
  net.Server.prototype.listen = function listen(this: net.Server, ...args: unknown[]) {
    hooks.onListen(this, listen as (...a: never[]) => unknown);
    const rewrite = hooks.loopback ? rewriteListen(args, hooks.loopback) : undefined;
    if (!rewrite || !hooks.loopback) return Reflect.apply(original, this, args) as net.Server;
    hooks.onRewrite(rewrite.from, hooks.loopback);
    const bind = (): net.Server => Reflect.apply(original, this, rewrite.args) as net.Server;
    return rewrite.sync && net.isIP(hooks.loopback) ? withSyncLookup(hooks.loopback, bind) : bind();
  } as typeof net.Server.prototype.listen;
  if (!hooks.onListening) return;
  const onListening = hooks.onListening;
  const emit = net.Server.prototype.emit;
  net.Server.prototype.emit = function (this: net.Server, event: string | symbol) {
    if (event === "listening") onListening(this);
    return Reflect.apply(emit, this, arguments) as boolean;
  } as typeof net.Server.prototype.emit;
}
