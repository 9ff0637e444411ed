/**
 * Renders a trace as plain text for headless runs: per step, the user's line
 * of code, the call tree (one call a line, with `file:line`) and the frames
 * with their decoded layers. Pure: trace in, lines out.
 */
import { CLAIM_LABEL, claimLines, claimsSummary, notSeenList } from "../claims/claim-lines.js";

/** The column tag of each kind of claim line, as wide as `what    `'s word. */
const CLAIM_TAG = { background: "why   ", "not-seen": "unseen", pending: "later " } as const;
import { walkCalls, countCalls } from "../trace/call-tree.js";
import type { CallNode, FunctionInfo, LogLine, Step, Trace } from "../trace/model.js";
import { debugByStep } from "../trace/debug-lines.js";
import { callText, connText, ONE_PROCESS, seqText, type IdSpace } from "../trace/process-names.js";
import type { AdapterLayer, HttpResponseLayer, IpcLayer, Layer, PostgresLayer, RedisLayer, WireMessage } from "../wire/types.js";
import { cutText, messagesOf, printableText } from "../wire/index.js";
import { workMs } from "../wire/heartbeat-lanes.js";
import { countStepCalls, forEachStepCall, likeThis, repeatCounts, sampledNote, TURNS_NOTE, untimedNote } from "../trace/turns.js";

/** Styling hooks, so colour stays a decision of the caller. */
export interface TextStyle {
  readonly heading: (s: string) => string;
  readonly dim: (s: string) => string;
  readonly name: (s: string) => string;
  readonly code: (s: string) => string;
}

/** No styling at all. */
export const PLAIN: TextStyle = { heading: (s) => s, dim: (s) => s, name: (s) => s, code: (s) => s };

/** Options of {@link renderText}. */
export interface TextOptions {
  readonly style?: TextStyle;
  /** Calls printed per step before the rest is summarised; the count is always shown. */
  readonly maxCalls?: number;
  /** Frames printed per step before the rest is summarised. */
  readonly maxFrames?: number;
  /** Extra lines after a step's `what` line: the library's docs (`text-docs.ts`), which the caller has to load. */
  readonly docs?: (step: Step) => readonly string[];
}

/** Describes a call node as `name  file:line`, with its async origin for continuations. */
export function callLabel(node: CallNode, fn: FunctionInfo | undefined, style: TextStyle = PLAIN, ids: IdSpace = ONE_PROCESS): string {
  const name = fn ? fn.name : `#${node.fn}`;
  const where = fn ? `${fn.file}:${fn.line}` : "unknown function";
  const origin = node.async ? `  ⟵ ${node.async.kind} from ${seqText(ids, node.async.from)}` : "";
  const resumed = node.detached && node.async ? " (resumed)" : "";
  return `${style.name(name)}${resumed}  ${style.dim(where)}${style.dim(origin)}`;
}

/** Packets shown per layer line, and characters of data per packet: a polling batch can hold thousands. */
const PACKETS_SHOWN = 8;
const PACKET_TEXT = 300;

function capped<T>(packets: readonly T[], show: (packet: T) => string): string {
  const shown = packets.slice(0, PACKETS_SHOWN).map(show).join(" | ");
  return packets.length > PACKETS_SHOWN ? `${shown} | … ${packets.length - PACKETS_SHOWN} more packets` : shown;
}

/** An error answer's body is what it says (`{"code":1,"message":"Session ID unknown"}`); no Engine.IO layer decodes it. */
function errorBody(layer: HttpResponseLayer): string {
  return layer.status >= 400 && layer.body ? `: ${cutText(layer.body, PACKET_TEXT)}` : "";
}

/** One-line summary of a decoded layer. */
export function layerSummary(layer: Layer): string {
  switch (layer.kind) {
    case "http-request":
      return `HTTP ${layer.method} ${layer.target}${layer.bodySize ? ` (${layer.bodySize} B body)` : ""}${layer.malformed ? ` — malformed: ${layer.malformed}` : ""}`;
    case "http-response":
      return `HTTP ${layer.status} ${layer.reason}${layer.bodySize ? ` (${layer.bodySize} B body${errorBody(layer)})` : ""}${layer.malformed ? ` — malformed: ${layer.malformed}` : ""}`;
    case "ws-frame": {
      const flags = [layer.fin ? "FIN" : "no FIN", layer.masked ? `masked ${layer.maskKey ?? ""}`.trim() : "unmasked"];
      if (layer.rsv) flags.push(`RSV ${layer.rsv}`);
      const close = layer.closeCode !== undefined ? ` code ${layer.closeCode}${layer.closeReason ? ` "${layer.closeReason}"` : ""}` : "";
      return `WebSocket ${layer.opcodeName} frame, ${flags.join(", ")}, ${layer.payloadLength} B (${layer.lengthBits}-bit length)${close}${layer.malformed ? ` — malformed: ${layer.malformed}` : ""}`;
    }
    case "engine.io":
      return `Engine.IO ${capped(layer.packets, (p) => `${p.name}${p.data ? ` ${cutText(p.data, PACKET_TEXT)}` : ""}${p.malformed ? ` (malformed: ${p.malformed})` : ""}`)}${layer.malformed ? ` — malformed: ${layer.malformed}` : ""}`;
    case "socket.io":
      return `Socket.IO ${capped(layer.packets, (p) => {
          const parts = [p.name, `nsp ${p.nsp}`];
          if (p.id !== undefined) parts.push(`ack id ${p.id}`);
          if (p.attachments) parts.push(`${p.attachments} attachment(s)`);
          return `${parts.join(", ")}${p.data ? ` ${cutText(p.data, PACKET_TEXT)}` : ""}${p.malformed ? ` (malformed: ${p.malformed})` : ""}`;
      })}${layer.malformed ? ` — malformed: ${layer.malformed}` : ""}`;
    case "redis":
    case "adapter":
    case "ipc":
    case "postgres":
      return serverLayerSummary(layer);
  }
}

/** Packets between servers read as the adapter sent them. */
function adapterPacketText(p: NonNullable<AdapterLayer["packet"]>): string {
  return `${p.name}${p.nsp !== "/" ? ` nsp ${p.nsp}` : ""}${p.data ? ` ${cutText(p.data, PACKET_TEXT)}` : ""}`;
}

/** One-line summary of a layer of the traffic between servers (Redis, the adapters' payloads, IPC). */
function serverLayerSummary(layer: RedisLayer | AdapterLayer | IpcLayer | PostgresLayer): string {
  const bad = layer.malformed ? ` — malformed: ${layer.malformed}` : "";
  if (layer.kind === "postgres") {
    const fields = layer.fields.length ? ` ${cutText(layer.fields.join(", "), PACKET_TEXT)}` : "";
    const sql = layer.code === "B" && layer.sql !== undefined ? ` (${cutText(layer.sql, PACKET_TEXT)})` : "";
    return `Postgres ${layer.name}${fields}${sql}${layer.cut ? ` — cut: ${layer.cut}` : ""}${bad}`;
  }
  if (layer.kind === "redis") {
    const where = [layer.pattern !== undefined ? `pattern ${layer.pattern}` : "", layer.channel !== undefined ? `channel ${layer.channel}` : ""].filter(Boolean).join(", ");
    if (layer.role === "command") {
      // The channel says what the arguments would; a payload is shown decoded in the layer inside.
      const args = layer.channel !== undefined || layer.pattern !== undefined ? [] : layer.args;
      return `Redis ${layer.name}${where ? ` ${where}` : ""}${args.length ? ` ${cutText(args.join(" "), PACKET_TEXT)}` : ""}${bad}`;
    }
    if (layer.role === "push") return `Redis ${layer.resp} ${layer.name}${where ? ` ${where}` : ""}${bad}`;
    return `Redis reply${layer.replyTo ? ` to ${layer.replyTo}` : ""}: ${layer.resp} ${cutText(layer.args.join(" "), PACKET_TEXT)}${bad}`;
  }
  if (layer.kind === "ipc") return `IPC ${layer.cmd ?? layer.source ?? "(no cmd)"} ${cutText(layer.text, PACKET_TEXT)}${bad}`;
  const parts = [`${layer.adapter}-adapter`, layer.channel, layer.encoding, layer.typeName].filter(Boolean);
  if (layer.uid !== undefined) parts.push(`uid ${layer.uid}`);
  if (layer.requestId !== undefined) parts.push(`request ${layer.requestId}`);
  if (layer.room !== undefined) parts.push(`room ${layer.room}`);
  if (layer.rooms?.length) parts.push(`rooms [${layer.rooms.join(", ")}]`);
  if (layer.except?.length) parts.push(`except [${layer.except.join(", ")}]`);
  const packet = layer.packet ? ` ${adapterPacketText(layer.packet)}` : "";
  const data = layer.data ? ` ${cutText(layer.data, PACKET_TEXT)}` : "";
  return `${parts.join(", ")}${packet}${data}${bad}`;
}

/** The messages of each step, by step index: a message belongs to the step of its first chunk. */
export function messagesByStep(trace: Trace, messages: readonly WireMessage[] = messagesOf(trace.chunks)): Map<number, WireMessage[]> {
  const stepOfChunk = new Map<number, number>();
  for (const step of trace.steps) for (const seq of step.chunks) stepOfChunk.set(seq, step.index);
  const out = new Map<number, WireMessage[]>();
  for (const message of messages) {
    const index = stepOfChunk.get(message.firstChunk);
    if (index === undefined) continue;
    const list = out.get(index) ?? [];
    list.push(message);
    out.set(index, list);
  }
  return out;
}

/** `1,234.5 ms` under ten seconds, `12.3 s` above. */
export function duration(ms: number): string {
  return ms < 10_000 ? `${ms.toLocaleString("en-US", { maximumFractionDigits: 1 })} ms` : `${(ms / 1000).toFixed(1)} s`;
}

/** Lines of debug output shown per step before the rest is counted. */
const DEBUG_SHOWN = 40;

/** The step's `debug` lines, each with the call that printed it. */
function debugSection(step: Step, lines: readonly LogLine[], functions: Map<number, FunctionInfo>, style: TextStyle, ids: IdSpace): string[] {
  if (!lines.length) return [];
  const shown = lines.slice(0, DEBUG_SHOWN);
  // Only the calls of the lines shown: a flooded step has tens of millions of calls.
  const fnOf = new Map<number, number>(shown.flatMap((line) => (line.call === undefined ? [] : [[line.call, -1] as [number, number]])));
  forEachStepCall(step, (seq, fn) => fnOf.has(seq) && fnOf.set(seq, fn));
  const out = [`  debug   ${lines.length} line${lines.length === 1 ? "" : "s"} printed by the traced process's \`debug\` (DEBUG)`];
  for (const line of shown) {
    const fn = line.call === undefined ? undefined : functions.get(fnOf.get(line.call) ?? -1);
    const by = line.call === undefined ? "outside any traced call" : `${callText(ids, line.call)}${fn ? ` ${fn.name}` : ""}`;
    out.push(`    ${line.text}  ${style.dim(`(${by})`)}`);
  }
  if (lines.length > DEBUG_SHOWN) out.push(`    … ${lines.length - DEBUG_SHOWN} more debug lines`);
  return out;
}

/**
 * The output lines of each step, by step index: what the app printed (stdout, stderr) and what
 * the built-in client said, by time — before the first step goes to the first, and a line
 * belongs to the last step that had started when it came.
 */
export function logsByStep(trace: Trace): Map<number, LogLine[]> {
  const out = new Map<number, LogLine[]>();
  const steps = trace.steps;
  if (!steps.length) return out;
  for (const log of trace.logs) {
    if (log.source === "debug") continue;
    let at = 0;
    while (at + 1 < steps.length && steps[at + 1].started <= log.time) at++;
    const index = steps[at].index;
    out.set(index, [...(out.get(index) ?? []), log]);
  }
  return out;
}

const MAX_LOG_LINES = 40;

function renderStep(
  step: Step,
  total: number | "unknown",
  functions: Map<number, FunctionInfo>,
  messages: readonly WireMessage[],
  options: Required<TextOptions>,
  debug: readonly LogLine[] = [],
  logs: readonly LogLine[] = [],
  /** Whose ids: a trace of several processes shows each id as its process's own (`B conn 1`). */
  ids: IdSpace = ONE_PROCESS,
): string[] {
  const { style } = options;
  const lines: string[] = [];
  lines.push(style.heading(`━━ Step ${step.index + 1}${total === "unknown" ? "" : `/${total}`} · ${step.title}`));
  if (step.code) lines.push(`  code    ${style.dim(step.code.side === "stepper" ? "(you, from the stepper)" : step.code.line > 0 ? `${step.code.file}:${step.code.line}` : step.code.file)}  ${style.code(step.code.text)}`);
  else lines.push(`  code    ${style.dim("(no user code: the library acts on its own)")}`);
  lines.push(`  what    ${step.explanation}`);
  for (const line of claimLines(step.claims)) lines.push(`  ${CLAIM_TAG[line.kind]}  ${line.text} ${style.dim(`(${CLAIM_LABEL[line.kind]}: ${line.reason})`)}`);
  lines.push(...options.docs(step));
  if (step.listeners) {
    lines.push("  listeners of the HTTP server, before → after new Server():");
    for (const event of ["request", "upgrade"]) {
      lines.push(`    ${event}: ${(step.listeners.before[event] ?? []).join(", ") || "(none)"}`);
      lines.push(`      → ${(step.listeners.after[event] ?? []).join(", ") || "(none)"}`);
    }
  }
  const count = countStepCalls(step);
  const work = workMs(step, messages);
  const time = work === undefined ? "" : ` · ${duration(work)} of own work`;
  lines.push(`  calls   ${count} call${count === 1 ? "" : "s"}${time}`);
  if (step.turns?.length) lines.push(`    ${style.dim(`${TURNS_NOTE}.`)}`);
  const like = repeatCounts(step);
  let printed = 0;
  walkCalls(step.calls, (node, depth) => {
    const repeats = depth === 0 ? like.get(node.seq) : undefined;
    if (printed++ < options.maxCalls) lines.push(`    ${"  ".repeat(depth)}${callLabel(node, functions.get(node.fn), style, ids)}${repeats ? style.dim(`  ${likeThis(repeats + 1)}`) : ""}`);
  });
  const shown = countCalls(step.calls);
  if (shown > options.maxCalls) lines.push(`    … ${shown - options.maxCalls} more calls${step.turns?.length ? " (in the trees shown)" : ""}`);
  lines.push(`  frames  ${messages.length}`);
  for (const message of messages.slice(0, options.maxFrames)) {
    const arrow = message.dir === "in" ? "→ server" : "← server";
    lines.push(`    ${style.dim(`[${connText(ids, message.conn)}] ${arrow}`)}  ${message.raw}  ${style.dim(`(${message.size} B${message.call !== undefined ? `, ${callText(ids, message.call)}` : ""})`)}`);
    for (const layer of message.layers) lines.push(`      ${style.dim("·")} ${layerSummary(layer)}`);
    if (message.malformed) lines.push(`      ${style.dim("·")} malformed: ${message.malformed}`);
  }
  if (messages.length > options.maxFrames) lines.push(`    … ${messages.length - options.maxFrames} more frames`);
  if (logs.length) lines.push(`  output  ${logs.length} line${logs.length === 1 ? "" : "s"} (the app's stdout and stderr, the client's)`);
  for (const log of logs.slice(0, MAX_LOG_LINES)) lines.push(`    ${style.dim(log.source.padEnd(6))}  ${printableText(log.text, 300)}`);
  if (logs.length > MAX_LOG_LINES) lines.push(`    … ${logs.length - MAX_LOG_LINES} more lines`);
  lines.push(...debugSection(step, debug, functions, style, ids));
  return lines;
}

/** Which part of the trace {@link renderText} prints, for printing steps as they finish. */
export interface TextRange {
  /** Steps [from, to) of `trace.steps`; default all. */
  readonly from?: number;
  readonly to?: number;
  /** Print the heading lines (default true) and the dropped-counts footer (default true). */
  readonly header?: boolean;
  readonly footer?: boolean;
  /**
   * Steps planned in all, for `Step i/N` while the run is still going; `unknown` while no
   * total can be told (the user's own clients decide how many steps there are): `Step i`.
   */
  readonly total?: number | "unknown";
}

/** Renders the trace, or the part of it `range` selects. */
export function renderText(trace: Trace, options: TextOptions & TextRange = {}): string {
  const resolved: Required<TextOptions> = { style: PLAIN, maxCalls: 400, maxFrames: 60, ...options, docs: options.docs ?? (() => []) };
  const functions = new Map(trace.functions.map((f) => [f.id, f]));
  const byStep = messagesByStep(trace);
  const debug = debugByStep(trace);
  const logs = logsByStep(trace);
  const out: string[] = [];
  if (options.header !== false) {
    const packages = Object.entries(trace.meta.packages).map(([name, version]) => `${name}@${version}`).join(", ");
    out.push(resolved.style.heading(`trace-socket ${trace.meta.tool} · scenario ${trace.meta.scenario} · node ${trace.meta.node}`));
    out.push(`packages: ${packages || "none of the socket.io family was loaded"}`);
    if (trace.meta.address) out.push(`traced server: ${trace.meta.address}`);
    out.push("");
  }
  const total = options.total ?? trace.steps.length;
  for (const step of trace.steps.slice(options.from ?? 0, options.to ?? trace.steps.length)) {
    out.push(...renderStep(step, total, functions, byStep.get(step.index) ?? [], resolved, debug.get(step.index), logs.get(step.index), trace), "");
  }
  if (options.footer === false) return out.join("\n");
  const claims = claimsSummary(trace);
  if (claims) out.push(claims, ...notSeenList(trace).map((line) => `  not seen: ${line}`));
  const d = trace.dropped;
  if (d.calls || d.chunks || d.logs) out.push(`dropped to bound memory: ${d.calls} call records, ${d.chunks} chunks (${d.bytes} B), ${d.logs} log lines`);
  if (trace.meta.sampledTurns) out.push(sampledNote(trace.meta.sampledTurns));
  if (trace.meta.untimedTurns) out.push(untimedNote(trace.meta.untimedTurns));
  return out.join("\n");
}
