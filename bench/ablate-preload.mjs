// Preloaded into the traced server by `node bench/profile.js` (NODE_OPTIONS=--import …) to
// switch parts of trace-socket off one at a time, without touching src/, and so find what
// the overhead is made of. BENCH_ABLATE is a comma-separated list of:
//   no-async-hooks  async_hooks.createHook returns a hook that is never enabled
//   no-tap          the socket tap's patches of net.Server/net.Socket are ignored
//   no-ipc          "records" and "tap" messages are not sent (nor serialized)
//   no-clock        records get time 0 instead of performance.now()
//   noop-recorder   instrumented code calls a recorder whose methods do nothing
import asyncHooks from "node:async_hooks";
import net from "node:net";
import { syncBuiltinESMExports } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const ablate = new Set((process.env.BENCH_ABLATE ?? "").split(",").filter(Boolean));
const root = join(dirname(fileURLToPath(import.meta.url)), "..");

if (ablate.has("no-async-hooks")) {
  asyncHooks.createHook = () => ({ enable() { return this; }, disable() { return this; } });
  syncBuiltinESMExports();
}

if (ablate.has("no-tap")) {
  const keep = (proto, key) => {
    const original = proto[key];
    Object.defineProperty(proto, key, { configurable: true, get: () => original, set: () => undefined });
  };
  keep(net.Server.prototype, "emit");
  keep(net.Socket.prototype, "emit");
  keep(net.Socket.prototype, "push");
  keep(net.Socket.prototype, "_writeGeneric");
}

if (ablate.has("no-ipc") && process.send) {
  const send = process.send.bind(process);
  process.send = (message, ...rest) => (message?.t === "records" || message?.t === "tap" ? true : send(message, ...rest));
}

if (ablate.has("no-clock") || ablate.has("noop-recorder")) {
  const { Recorder } = await import(pathToFileURL(join(root, "dist/instrument/recorder.js")).href);
  if (ablate.has("no-clock")) {
    Recorder.prototype.write = function write(op, id, link, linkKind) {
      const seq = this.seq++;
      const i = this.length;
      if (i >= this.capacity) {
        this.dropped++;
        if (this.droppedFrom < 0) this.droppedFrom = seq;
        return seq;
      }
      if (this.droppedFrom >= 0) {
        this.droppedRanges.push(this.droppedFrom, seq);
        this.droppedFrom = -1;
      }
      this.ops[i] = op;
      this.ids[i] = id;
      this.times[i] = 0;
      this.links[i] = link;
      this.linkKinds[i] = linkKind;
      this.length = i + 1;
      if (this.length === this.capacity >> 1 && this.onHighWater) this.onHighWater();
      return seq;
    };
  }
  if (ablate.has("noop-recorder")) {
    Recorder.prototype.e = function e() {};
    Recorder.prototype.x = function x() {};
    Recorder.prototype.sx = function sx(id, value) {
      return value;
    };
    Recorder.prototype.r = function r(id, value) {
      return value;
    };
  }
}
