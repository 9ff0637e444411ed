// Summarises a .cpuprofile: self time by function, by file/package, and by the categories
// the overhead analysis needs (recorder, clock, IPC, tap, async hooks, library, kernel I/O…).
import { readFileSync } from "node:fs";

/** A sampled frame of a .cpuprofile. */
export interface CallFrame {
  readonly functionName: string;
  readonly url: string;
  readonly lineNumber: number;
}

/** The parts of a V8 .cpuprofile read here. */
export interface CpuProfile {
  readonly nodes: readonly { readonly id: number; readonly callFrame: CallFrame }[];
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

/** Self time by function, by category (ms, largest first), total and busy (not idle) ms. */
export interface ProfileSummary {
  readonly total: number;
  readonly busy: number;
  readonly byFunction: [string, number][];
  readonly byCategory: [string, number][];
}

/** Category of a sampled frame. */
export function category(callFrame: CallFrame): string {
  const { functionName: name, url } = callFrame;
  if (name === "(garbage collector)") return "GC";
  if (name === "(idle)") return "idle";
  if (name === "(program)") return "V8/native (program)";
  // The recorder is several modules (entry points, state, turn writer, follower, shapes, columns, stack).
  if (/instrument\/(recorder|call-recording|call-stack|recorder-columns|turn-writer|turn-follow|turn-shapes|turn-entries)\.js$/.test(url)) return "recorder (e/x/write/drain)";
  if (name === "now" && !url) return "clock (performance.now)";
  if (/internal\/perf\/performance/.test(url)) return "clock (performance.now)";
  if (/instrument\/socket-tap\.js$/.test(url)) return "socket tap";
  if (/instrument\/async-links\.js$/.test(url) || /internal\/async_hooks/.test(url)) return "async_hooks";
  if (/child_process\/serialization|node:v8$|internal\/child_process/.test(url) || ["writeRawBytes", "writeBuffer", "releaseBuffer", "writeUint32", "writeDouble", "_writeHostObject", "writeValue", "writeHeader"].includes(name)) return "IPC serialize + write";
  // The traced process's own side of the channel: its courier numbers, queues and sends every message.
  if (/runtime\/node\/(traced-process|courier)\.js$/.test(url)) return "IPC serialize + write";
  if (["writev", "writeUtf8String", "writeLatin1String", "readStart", "onStreamRead"].includes(name) && !url) return "socket syscalls (loopback TCP)";
  if (/node_modules\/(socket\.io|engine\.io|ws|cors|socket\.io-parser|socket\.io-adapter|engine\.io-parser)\//.test(url)) return "socket.io family";
  if (/node_modules\//.test(url)) return "other packages (debug, emitter…)";
  if (/bench\//.test(url)) return "echo app";
  if (url.startsWith("node:")) return "node core (streams, events, net)";
  return "other native";
}

/** Self time (ms) by function, file and category. */
export function summarise(profile: CpuProfile, top = 25): ProfileSummary {
  const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
  const selfMs = new Map<number, number>();
  const deltas = profile.timeDeltas;
  for (let i = 0; i < profile.samples.length; i++) {
    const id = profile.samples[i];
    selfMs.set(id, (selfMs.get(id) ?? 0) + (deltas[i] ?? 0) / 1000);
  }
  const byFunction = new Map<string, number>();
  const byCategory = new Map<string, number>();
  let total = 0;
  let busy = 0;
  for (const [id, ms] of selfMs) {
    const { callFrame } = nodes.get(id)!;
    const url = callFrame.url.replace(/^file:\/\//, "").replace(/^.*\/node_modules\//, "").replace(/^\/work\/main\//, "");
    const label = `${callFrame.functionName || "(anonymous)"}${url ? ` ${url}:${callFrame.lineNumber + 1}` : ""}`;
    byFunction.set(label, (byFunction.get(label) ?? 0) + ms);
    const cat = category(callFrame);
    byCategory.set(cat, (byCategory.get(cat) ?? 0) + ms);
    total += ms;
    if (cat !== "idle") busy += ms;
  }
  const sorted = (map: Map<string, number>, count = top): [string, number][] => [...map].sort((a, b) => b[1] - a[1]).slice(0, count);
  return { total, busy, byFunction: sorted(byFunction), byCategory: sorted(byCategory, 100) };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const path of process.argv.slice(2)) {
    const { busy, byFunction, byCategory } = summarise(JSON.parse(readFileSync(path, "utf8")) as CpuProfile);
    console.log(`\n${path}: ${busy.toFixed(0)} ms busy`);
    for (const [cat, ms] of byCategory) console.log(`    ${((100 * ms) / busy).toFixed(1).padStart(5)}%  ${cat}`);
    console.log("  by function (self):");
    for (const [label, ms] of byFunction) console.log(`    ${((100 * ms) / busy).toFixed(1).padStart(5)}%  ${label}`);
  }
}
