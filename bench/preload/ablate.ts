// Preloaded into the traced server by `node bench/profile.js` (NODE_OPTIONS=--import …) to
// switch parts of trace-socket off one at a time, without touching src/, and so find what
// the overhead is made of. BENCH_ABLATE is a comma-separated list of:
//   no-async-hooks  async_hooks.createHook returns a hook that is never enabled
//   no-tap          the socket tap's patches of net.Server/net.Socket are ignored
//   no-ipc          "records" and "tap" messages are not sent (nor serialized)
//   noop-recorder   instrumented code calls a recorder whose methods do nothing
import asyncHooks from "node:async_hooks";
import net from "node:net";
import { syncBuiltinESMExports } from "node:module";

type Hook = ReturnType<typeof asyncHooks.createHook>;

const ablate = new Set((process.env.BENCH_ABLATE ?? "").split(",").filter(Boolean));

if (ablate.has("no-async-hooks")) {
  const inert: Hook = { enable: () => inert, disable: () => inert };
  asyncHooks.createHook = () => inert;
  syncBuiltinESMExports();
}

if (ablate.has("no-tap")) {
  const keep = (proto: object, key: string): void => {
    const original = (proto as Record<string, unknown>)[key];
    Object.defineProperty(proto, key, { configurable: true, get: () => original, set: () => undefined });
  };
  keep(net.Server.prototype, "emit");
  keep(net.Socket.prototype, "emit");
  keep(net.Socket.prototype, "push");
  keep(net.Socket.prototype, "_writeGeneric");
}

if (ablate.has("no-ipc") && process.send) {
  const send = process.send.bind(process);
  const tagged = (message: unknown): string | undefined => (message as { t?: string } | undefined)?.t;
  process.send = ((message: unknown, ...rest: never[]) => (tagged(message) === "records" || tagged(message) === "tap" ? true : send(message, ...rest))) as typeof process.send;
}

if (ablate.has("noop-recorder")) {
  // The module the traced process itself loads (dist/), so the patch reaches its recorder.
  const { Recorder } = await import("../../src/instrument/recorder.js");
    Recorder.prototype.e = function e(): void {};
    Recorder.prototype.x = function x(): void {};
    Recorder.prototype.sx = function sx<T>(_id: number, value: T): T {
      return value;
    };
    Recorder.prototype.r = function r<T>(_id: number, value: T): T {
      return value;
    };
}
