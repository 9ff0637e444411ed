/**
 * A run's event stream, recorded once from a real run and replayed into the
 * same feed and collector the runner uses, so assembly is tested on real
 * events with no process (and, for the Flask side, no Python). One JSON
 * object a line: the collector's start, then every message of the traced
 * process, every tap batch and log line in arrival order, then the step runs.
 */
import { readFileSync } from "node:fs";
import { deserialize, serialize } from "node:v8";
import { gunzipSync, gzipSync } from "node:zlib";
import { Collector } from "../../src/runtime/collector.js";
import type { TapBatch } from "../../src/instrument/socket-tap.js";
import type { LogLine } from "../../src/trace/model.js";
import { PACKAGE_ROOT } from "../../src/trace/scenario.js";
import type { PythonTraced } from "../../src/runtime/python/python-runtime.js";

/** Stands for the checkout's root in a recording. */
const ROOT_MARK = "<trace-socket>";

/** A tap batch with its columns as plain lists and its bytes as base64. */
export interface TapRecord {
  readonly firstSeq: number;
  readonly conn: number[];
  readonly dir: number[];
  readonly time: number[];
  readonly call: number[];
  readonly size: number[];
  readonly ends: number[];
  readonly data: string;
  readonly events: TapBatch["events"];
  readonly droppedChunks: number;
  readonly droppedBytes: number;
}

/** One line of a recording. */
export type RecordedEvent<M> =
  | { readonly k: "start"; readonly startedAt: number; readonly origin: number }
  | { readonly k: "message"; readonly m: M }
  | { readonly k: "tap"; readonly b: TapRecord }
  | { readonly k: "log"; readonly source: LogLine["source"]; readonly text: string }
  | { readonly k: "runs"; readonly runs: readonly { index: number; markSeq: number; startedAt: number; notes: string[] }[]; readonly proxy?: string };

/** A tap batch as a line. */
export function tapRecord(batch: TapBatch): TapRecord {
  const c = batch.chunks;
  return {
    firstSeq: c.firstSeq,
    conn: [...c.conn],
    dir: [...c.dir],
    time: [...c.time],
    call: [...c.call],
    size: [...c.size],
    ends: [...c.ends],
    data: Buffer.from(c.data.buffer, c.data.byteOffset, c.data.byteLength).toString("base64"),
    events: batch.events,
    droppedChunks: batch.droppedChunks,
    droppedBytes: batch.droppedBytes,
  };
}

/** A line back into a tap batch. */
export function tapBatch(r: TapRecord): TapBatch {
  const data = Buffer.from(r.data, "base64");
  return {
    chunks: {
      firstSeq: r.firstSeq,
      conn: Int32Array.from(r.conn),
      dir: Uint8Array.from(r.dir),
      time: Float64Array.from(r.time),
      call: Float64Array.from(r.call),
      size: Float64Array.from(r.size),
      ends: Uint32Array.from(r.ends),
      data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength),
    },
    events: r.events,
    droppedChunks: r.droppedChunks,
    droppedBytes: r.droppedBytes,
  };
}

/** A recording replayed: a collector holding its taps and logs, the messages for the caller's feed, the runs. */
export interface Replayed<M> {
  readonly collector: Collector;
  readonly runs: Extract<RecordedEvent<M>, { k: "runs" }>["runs"];
  readonly proxy?: string;
}

/**
 * Replays a recording into a fresh collector, handing each traced-process
 * message to `ingest` in its place among the taps and logs.
 */
export function replayRecording<M>(file: string, ingest: (collector: Collector, message: M) => void): Replayed<M> {
  let collector: Collector | undefined;
  let runs: Replayed<M>["runs"] = [];
  let proxy: string | undefined;
  for (const line of readFileSync(file, "utf8").replaceAll(ROOT_MARK, JSON.stringify(PACKAGE_ROOT).slice(1, -1)).split("\n")) {
    if (!line) continue;
    const event = JSON.parse(line) as RecordedEvent<M>;
    if (event.k === "start") {
      collector = new Collector(event.startedAt);
      collector.setOrigin(event.origin);
    } else if (!collector) throw new Error(`${file}: the first line must be the start`);
    else if (event.k === "message") ingest(collector, event.m);
    else if (event.k === "tap") collector.addTap(tapBatch(event.b));
    else if (event.k === "log") collector.addLog(event.source, event.text);
    else {
      runs = event.runs;
      proxy = event.proxy;
    }
  }
  if (!collector) throw new Error(`${file}: empty`);
  return { collector, runs, proxy };
}

/**
 * Records a real Flask run of `scenario` into `file` (`RECORD_RUNS=1` in the
 * assembly tests; needs Python with Flask-SocketIO): the collector's and the
 * feed's inputs, wrapped where they arrive.
 */
export async function recordFlaskRun(file: string, options: { readonly python: string; readonly maxRecords: number }): Promise<void> {
  const { writeFileSync } = await import("node:fs");
  const { Runner } = await import("../../src/scenario/runner.js");
  const { pythonRuntime } = await import("../../src/runtime/python/python-runtime.js");
  const { TracerFeed } = await import("../../src/runtime/python/tracer-feed.js");
  const { loadCounterpart, loadScenario } = await import("../../src/trace/scenario.js");
  const lines: string[] = [];
  const push = (event: RecordedEvent<unknown>): number => lines.push(JSON.stringify(event));
  const original = { setOrigin: Collector.prototype.setOrigin, addTap: Collector.prototype.addTap, addLog: Collector.prototype.addLog, ingest: TracerFeed.prototype.ingest };
  Collector.prototype.setOrigin = function (this: Collector, origin: number) {
    push({ k: "start", startedAt: this.startedAt, origin });
    original.setOrigin.call(this, origin);
  };
  Collector.prototype.addTap = function (this: Collector, batch: TapBatch) {
    push({ k: "tap", b: tapRecord(batch) });
    original.addTap.call(this, batch);
  };
  Collector.prototype.addLog = function (this: Collector, source: LogLine["source"], text: string) {
    // The feed's own notices are logged by the feed again on replay.
    if (!text.startsWith("trace-socket: ")) push({ k: "log", source, text });
    original.addLog.call(this, source, text);
  };
  TracerFeed.prototype.ingest = function (this: InstanceType<typeof TracerFeed>, message) {
    push({ k: "message", m: message });
    original.ingest.call(this, message);
  };
  try {
    const runner = await Runner.start({ scenario: loadCounterpart(loadScenario(), "flask"), projectRoot: PACKAGE_ROOT, command: "recorded", runtime: pythonRuntime({ python: options.python, maxRecords: options.maxRecords }) });
    try {
      while (runner.nextStep < runner.stepCount) await runner.runNext();
    } finally {
      await runner.close();
    }
    push({ k: "runs", runs: runner.runs, proxy: (runner.server as PythonTraced).proxy?.url });
  } finally {
    Object.assign(Collector.prototype, { setOrigin: original.setOrigin, addTap: original.addTap, addLog: original.addLog });
    TracerFeed.prototype.ingest = original.ingest;
  }
  // Paths under the checkout are written relative to it, so the recording replays in any checkout.
  writeFileSync(file, `${lines.join("\n").replaceAll(JSON.stringify(PACKAGE_ROOT).slice(1, -1), ROOT_MARK)}\n`);
}

/** A Node run's stream: every message of the traced process, the collector's own log lines, the step runs. */
export interface NodeRecording {
  readonly startedAt: number;
  readonly events: readonly ({ readonly k: "message"; readonly m: unknown } | { readonly k: "log"; readonly source: LogLine["source"]; readonly text: string })[];
  readonly runs: readonly { index: number; markSeq: number; startedAt: number; notes: string[] }[];
}

/**
 * Records a real Node run of the default scenario into `file` (v8-serialized
 * and gzipped, as the IPC channel carries the messages: typed arrays intact).
 */
export async function recordNodeRun(file: string): Promise<void> {
  const { writeFileSync } = await import("node:fs");
  const { Runner } = await import("../../src/scenario/runner.js");
  const { nodeRuntime } = await import("../../src/runtime/node/node-runtime.js");
  const { TracedFeed } = await import("../../src/runtime/node/traced-feed.js");
  const { loadScenario } = await import("../../src/trace/scenario.js");
  const events: NodeRecording["events"][number][] = [];
  const original = { take: TracedFeed.prototype.take, addLog: Collector.prototype.addLog };
  TracedFeed.prototype.take = function (this: InstanceType<typeof TracedFeed>, message) {
    events.push({ k: "message", m: message });
    original.take.call(this, message);
  };
  Collector.prototype.addLog = function (this: Collector, source: LogLine["source"], text: string) {
    if (!text.startsWith("trace-socket: could not instrument")) events.push({ k: "log", source, text });
    original.addLog.call(this, source, text);
  };
  let recording: NodeRecording | undefined;
  try {
    const runner = await Runner.start({ scenario: loadScenario(), projectRoot: PACKAGE_ROOT, command: "recorded", runtime: nodeRuntime({ host: "127.0.0.1", port: 0 }) });
    try {
      await runner.runAll();
    } finally {
      await runner.close();
    }
    recording = { startedAt: runner.collector.startedAt, events, runs: runner.runs };
  } finally {
    TracedFeed.prototype.take = original.take;
    Collector.prototype.addLog = original.addLog;
  }
  // Checkout paths relative, as in the Flask recording; the marker is replaced on the way back.
  writeFileSync(file, gzipSync(serialize(mapStrings(recording!, (t) => t.replaceAll(PACKAGE_ROOT, ROOT_MARK))), { level: 9 }));
}

/** `value` with every string in its plain objects and lists passed through `f` (typed arrays kept as they are). */
function mapStrings<T>(value: T, f: (text: string) => string): T {
  if (typeof value === "string") return f(value) as T;
  if (Array.isArray(value)) return value.map((v) => mapStrings(v, f)) as T;
  if (value && typeof value === "object" && !ArrayBuffer.isView(value)) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, mapStrings(v, f)])) as T;
  }
  return value;
}

/** Reads a Node recording back. */
export function readNodeRecording(file: string): NodeRecording {
  return mapStrings(deserialize(gunzipSync(readFileSync(file))) as NodeRecording, (t) => t.replaceAll(ROOT_MARK, PACKAGE_ROOT));
}
