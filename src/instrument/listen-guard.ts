/**
 * Watches `server.listen(...)` in the traced process: notes the app's line as a
 * call site during start-up, and keeps servers on loopback (any other address,
 * all interfaces included, becomes 127.0.0.1) unless the user allowed more with
 * --host — a tracer must not expose someone's app to the network.
 */
import net from "node:net";
import { isLoopback } from "./loopback.js";

/** What the guard reports. */
export interface ListenGuardHooks {
  /** Called on every listen call with the function to hide from stack traces. */
  readonly onListen: (above: (...args: never[]) => unknown) => void;
  /** Host to force when the app asks for all interfaces; undefined: leave it. */
  readonly loopback?: string;
  readonly onRewrite: (from: string | undefined, to: string) => void;
}

function isPort(value: unknown): boolean {
  return typeof value === "number" || (typeof value === "string" && /^\d+$/.test(value));
}

/** Patches `net.Server.prototype.listen` (http.Server inherits it). */
export function guardListen(hooks: ListenGuardHooks): void {
  const original = net.Server.prototype.listen;
  net.Server.prototype.listen = function listen(this: net.Server, ...args: unknown[]) {
    hooks.onListen(listen as (...a: never[]) => unknown);
    if (hooks.loopback) {
      const first = args[0];
      if (first && typeof first === "object" && !Array.isArray(first) && "port" in first) {
        const options = first as net.ListenOptions;
        if (options.host === undefined || !isLoopback(options.host)) {
          hooks.onRewrite(options.host, hooks.loopback);
          args[0] = { ...options, host: hooks.loopback };
        }
      } else if (isPort(first) || first === undefined || typeof first === "function") {
        const host = typeof args[1] === "string" ? args[1] : undefined;
        if (host === undefined || !isLoopback(host)) {
          hooks.onRewrite(host, hooks.loopback);
          if (typeof args[1] === "string") args[1] = hooks.loopback;
          else args.splice(isPort(first) ? 1 : 0, 0, ...(isPort(first) ? [hooks.loopback] : [0, hooks.loopback]));
        }
      }
    }
    return Reflect.apply(original, this, args) as net.Server;
  } as typeof net.Server.prototype.listen;
}
