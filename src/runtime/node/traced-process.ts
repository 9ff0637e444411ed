/**
 * Entry of the traced process: installs the recorder, the socket tap and the
 * load-time hooks before anything of socket.io loads, then runs the app and
 * streams what it records to the CLI over IPC.
 */
import type { ChildProcess } from "node:child_process";
import { register } from "node:module";
import { writeFileSync } from "node:fs";
import { serialize } from "node:v8";
import { Recorder } from "../../instrument/recorder.js";
import { linkAsyncContinuations } from "../../instrument/async-links.js";
import { tapServerSockets } from "../../instrument/socket-tap.js";
import { tapDebug } from "../../instrument/debug-tap.js";
import { FunctionRegistry } from "../../instrument/function-registry.js";
import { instrumentRequire } from "../../instrument/require-hook.js";
import { RECORDER_GLOBAL, type FoundFunction } from "../../instrument/transform.js";
import { PAUSE_GLOBAL } from "../../instrument/step-points.js";
import { TABLE_GLOBAL, type LoaderData } from "../../instrument/esm-loader.js";
import { CHANNEL_TAG, type FromTraced, type ToTraced, type TracedProcessConfig } from "./protocol.js";
import { describeListeners, describeServers } from "./live-objects.js";
import { CallSites } from "../../instrument/call-sites.js";
import { guardListen } from "../../instrument/listen-guard.js";
import { OverflowFile, overflowFileOf } from "./overflow-file.js";
import { Courier } from "./courier.js";
import { hubControl, processControl } from "./control-channel.js";
import { traceClusterWorkers } from "./cluster-fork.js";
import { tapIpcSends } from "../../instrument/ipc-tap.js";
import { fileURLToPath } from "node:url";
import { TransformCache } from "../../instrument/transform-cache.js";
import { defaultCacheDir } from "../../source/disk-cache.js";
import { appState, isSocketIoMain, trackServers } from "./app-state.js";
import { liveState } from "./live-state.js";
import { performAction } from "./act.js";
import { isTypeScript, registerTypeScript, runEntry } from "./app-typescript.js";

const given = JSON.parse(process.env.TRACE_SOCKET_CHILD ?? "{}") as TracedProcessConfig;
delete process.env.TRACE_SOCKET_CHILD;
// A cluster worker reports to the CLI's hub (its IPC channel is its primary's), and is told its pauses there.
const hub = given.clusterHub !== undefined && given.worker !== undefined ? await hubControl(given.clusterHub, given.worker) : undefined;
const config: TracedProcessConfig = hub ? { ...given, anchors: hub.joined.anchors, spillFile: hub.joined.spillFile } : given;
const control = hub?.control ?? processControl();

// Repeated turns sent as one entry each, untimed under load when expected to repeat (`turn-writer.ts`).
// TRACE_SOCKET_TURN_SHAPES=0 turns it off, =hurried skips the clocks from the start (the A/B bench, BENCHMARKS.md).
const turnShapes = process.env.TRACE_SOCKET_TURN_SHAPES;
const recorder = new Recorder(config.capacity, { shapes: turnShapes !== "0", hurried: turnShapes === "hurried" });
const registry = new FunctionRegistry(config.projectRoot);
const globals = globalThis as Record<string, unknown>;
globals[RECORDER_GLOBAL] = recorder;
globals[TABLE_GLOBAL] = (base: number, file: string, found: FoundFunction[]) => registry.add(base, file, "app", undefined, found);
recorder.slotLookup = (id, key) => registry.slotMember(id, key);
// Frames only: no call is recorded, so there is nothing to link, and the hooks cost on every async resource.
if (config.instrument !== false) linkAsyncContinuations(recorder);
// The adapters whose traffic between servers the wire decoders read (RESP, the Postgres protocol): once an app loads one,
// the connections it opens are its Redis or Postgres clients' and are tapped like its clients' connections.
const DECODED_ADAPTERS: ReadonlySet<string> = new Set(["@socket.io/redis-adapter", "@socket.io/redis-streams-adapter", "@socket.io/postgres-adapter"]);
let adapterLoaded = false;
const drainTap = tapServerSockets(recorder, { chunkBytes: 64 * 1024, pendingBytes: 32 * 1024 * 1024, ...(config.chunkLimits ? { keep: config.chunkLimits } : {}) }, () => config.tapOutgoing === true || adapterLoaded);
recorder.onHighWater = () => flush();
// A cluster: the primary's workers are traced as well, and what each side writes on their IPC channel is captured.
if (config.clusterHub !== undefined && config.worker === undefined) {
  const { entry: _entry, anchors: _anchors, ...base } = config;
  traceClusterWorkers(fileURLToPath(import.meta.url), base, (child, mode, worker) => {
    tapIpcSends(child, mode, drainTap.channel(`ipc:${worker}`, "ipc:primary"), recorder);
    // Only the parent learns a process's exit code or signal; the CLI hears of the worker's end from here.
    (child as ChildProcess).once("exit", (code, signal) => send({ t: "worker-exit", worker, code, signal }));
  });
} else if (config.worker !== undefined) {
  tapIpcSends(process, config.ipcSerialization ?? "json", drainTap.channel("ipc:primary", `ipc:${config.worker}`), recorder);
}
// Before anything loads `debug`: its lines are caught at its write, each with the call that printed it.
const drainDebug = tapDebug(() => recorder.current());

// While the channel is backed up (the CLI behind, or this process's own event loop stuck), bulk batches go to a file.
const overflow = new OverflowFile(overflowFileOf(config.spillFile));
const courier = new Courier(
  control.channel,
  (full) => {
    recorder.shedding = full;
    if (!full) {
      // A batch's seqs are contiguous with a dropped tail only: start a new one after the gap.
      flush();
    }
  },
  overflow,
);
const send = (message: FromTraced, done?: () => void): void => courier.send(message, done);

const sites = new CallSites(config.appRoot ?? config.projectRoot, config.projectRoot);
if (config.sites && config.appRoot) {
  recorder.siteHook = (id, caller) => {
    if (registry.isApp(id) || (caller !== -1 && !registry.isApp(caller))) return;
    const index = sites.capture(id, Recorder.prototype.e as (...args: never[]) => unknown);
    if (index >= 0) recorder.site(index);
  };
}
// The app's listen line, per server: its `listening` event notes the line again, so
// the work done then (engine.io's init, the app's callback) is that line's step.
const listenSites = new WeakMap<object, number>();
guardListen({
  onListen: (server, above) => {
    if (!recorder.watchSites) return;
    const index = sites.capture("listen", above);
    if (index < 0) return;
    recorder.site(index);
    listenSites.set(server, index);
  },
  onListening: (server) => {
    const index = listenSites.get(server);
    if (index !== undefined && recorder.watchSites) recorder.site(index);
  },
  loopback: config.loopback,
  onRewrite: (from, to) =>
    send({ t: "notice", text: `the app asked to listen on ${from === undefined ? "all interfaces (no host)" : from}; trace-socket bound it to ${to} — pass --host to allow more` }),
});

/** What to send next; `final` (at exit, into the spill file) always includes the drop counts. */
function collect(final = false): FromTraced[] {
  const out: FromTraced[] = [];
  const list = registry.drain();
  if (list.length) out.push({ t: "functions", list });
  const siteList = sites.drain();
  if (siteList.length) out.push({ t: "sites", list: siteList });
  // Batches dropped while the CLI was behind come first: they precede what is drained now.
  const lostRecords = final || !courier.full ? courier.takeLostRecords() : undefined;
  if (lostRecords) out.push({ t: "records", batch: lostRecords });
  const batch = recorder.drain();
  if (batch) out.push({ t: "records", batch });
  const lostChunks = final || !courier.full ? courier.takeLostChunks() : undefined;
  if (lostChunks) out.push({ t: "tap", batch: lostChunks });
  const tap = drainTap();
  if (tap) out.push({ t: "tap", batch: tap });
  const debug = drainDebug();
  if (debug) out.push({ t: "debug", batch: debug });
  return out;
}

function flush(): void {
  for (const message of collect()) send(message);
}

if (config.instrument !== false) {
  const cache = TransformCache.open(defaultCacheDir(process.env));
  const onLoaded = (pkg: string, file: string, exports: unknown): void => {
    // Every run notes its servers: an app's start-up reads them, and every step's pause snapshots their state.
    if (isSocketIoMain(pkg, file)) trackServers(exports);
    if (DECODED_ADAPTERS.has(pkg)) adapterLoaded = true;
  };
  instrumentRequire(registry, config.appRoot, (file, reason) => send({ t: "transform-failed", file, reason }), cache, onLoaded);
}
const loaderData: LoaderData = {
  appRoot: config.instrument !== false ? config.appRoot : undefined,
  pauses: config.anchors ? { file: config.entry, anchors: config.anchors } : undefined,
};
// Registered first, so trace-socket's loader (registered after it, run before it) gets what tsx compiled.
if (isTypeScript(config.entry)) await registerTypeScript();
register(new URL("../../instrument/esm-loader.js", import.meta.url).href, { data: loaderData });

// Whatever could not be sent when the process ends is written for the CLI to pick up.
let crash: { message: string; stack: string } | undefined;
process.on("uncaughtExceptionMonitor", (error) => {
  crash = { message: String((error as Error)?.message ?? error), stack: String((error as Error)?.stack ?? error) };
});
process.on("exit", () => {
  courier.spill();
  for (const message of collect(true)) send(message);
  if (crash) send({ t: "app-error", ...crash });
  const rest = courier.leftovers();
  overflow.close();
  try {
    writeFileSync(config.spillFile, serialize(rest));
  } catch {
    // Nowhere left to report to.
  }
});

// The IPC channel must not keep an app alive that would have ended by itself,
// except while a step pause is waiting for the CLI.
control.unref();
let resume: (() => void) | undefined;
globals[PAUSE_GLOBAL] = (step: number, bindings: () => Record<string, unknown>) => {
  const live = Object.values(bindings());
  flush();
  send({ t: "paused", step, listeners: describeListeners(live), servers: describeServers(live) });
  control.ref();
  return new Promise<void>((resolve) => {
    resume = () => {
      control.unref();
      resolve();
    };
  });
};

function settle(quietMs: number, maxMs: number): void {
  const started = performance.now();
  let last = -1;
  let quietSince = started;
  const poll = (): void => {
    const now = performance.now();
    const activity = recorder.nextSeq() + recorder.pending();
    if (activity !== last) {
      last = activity;
      quietSince = now;
    }
    if (now - quietSince >= quietMs || now - started >= maxMs) {
      flush();
      send({ t: "settled", state: liveState() });
    } else {
      setTimeout(poll, 10).unref();
    }
  };
  poll();
}

control.onMessage((raw: unknown) => {
  const message = raw as (ToTraced & { [CHANNEL_TAG]?: number }) | undefined;
  if (!message || message[CHANNEL_TAG] !== 1) return;
  if (message.t === "mark") {
    // The first live step ends the app's start-up: from here on its calls are not call sites.
    recorder.watchSites = false;
    flush();
    // The step's start on this process's clock, the one its chunks are stamped with: the CLI's own
    // clock maps onto it only as well as the two processes' time origins agree (ms off under load).
    const time = performance.now();
    send({ t: "marked", step: message.step, seq: recorder.mark(message.step), time });
  } else if (message.t === "continue") {
    const next = resume;
    resume = undefined;
    next?.();
  } else if (message.t === "settle") {
    settle(message.quietMs, message.maxMs);
  } else if (message.t === "flush") {
    flush();
  } else if (message.t === "chunks-closed") {
    drainTap.close();
  } else if (message.t === "act") {
    const refused = performAction(message.action);
    send({ t: "acted", ...(refused ? { refused } : {}) });
  } else if (message.t === "describe") {
    flush();
    send({ t: "described", state: appState() });
  } else if (message.t === "quit") {
    // IPC keeps order: once this last message is written, so is everything sent before it.
    // The exit handler writes anything still unsent (or unacknowledged) to the spill file.
    flush();
    const fallback = setTimeout(() => process.exit(0), 5000);
    send({ t: "settled" }, () => {
      clearTimeout(fallback);
      process.exit(0);
    });
    courier.spill();
  }
});

// The CLI is gone (killed, even with -9): a traced server nobody reads must not linger.
control.onGone(() => process.exit(0));

let pacedAt = performance.now();
setInterval(() => {
  const now = performance.now();
  recorder.pace(now - pacedAt);
  pacedAt = now;
  flush();
}, config.flushMs).unref();
send({ t: "hello", timeOrigin: performance.timeOrigin, pid: process.pid });

recorder.watchSites = Boolean(config.sites);
// The app sees the argv it would see untraced: `node <its entry> ...args`.
process.argv.splice(1, 1, config.entry);
try {
  await runEntry(config.entry);
  // Start-up goes on after the entry module has run (an async main, a timer, a callback): call
  // sites are noted until the first live step.
  flush();
  send({ t: "app-done" });
} catch (error) {
  recorder.watchSites = false;
  // The process is about to die, and a write still queued for the IPC pipe would die with
  // it: from here on everything goes to the spill file, which the exit handler writes along
  // with whatever is still in flight. What was sent earlier is given (at most 2 s) to reach
  // the CLI, so a batch too big to keep for the spill arrives rather than being counted lost.
  // Rethrown outside the import so Node reports it exactly as it would untraced.
  courier.spill();
  const deadline = Date.now() + 2000;
  const rethrow = (): void => {
    if (courier.unsent > 0 && Date.now() < deadline) {
      setTimeout(rethrow, 5);
      return;
    }
    setImmediate(() => {
      throw error;
    });
  };
  rethrow();
}
