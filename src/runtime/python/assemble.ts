/**
 * Assembles the trace model from what a Flask run collected: cuts the Python
 * record stream at the step markers into call trees, assigns the proxy's
 * chunks to steps by time, fills the narration with live values.
 */
import { relative } from "node:path";
import { SCHEMA_NAME, SCHEMA_VERSION, type FunctionInfo, type ListenerSnapshot, type Step, type Trace, type UserCode } from "../../trace/model.js";
import type { WireMessage } from "../../wire/types.js";
import { stepLines } from "../../scenario/assemble.js";
import { anchorsFor, narrate, PACKAGE_ROOT } from "../../trace/scenario.js";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { buildPyCallTrees, type StepRange } from "./call-tree.js";
import { PY_FAMILY, type PyFunctionInfo } from "./protocol.js";
import type { Collector } from "../collector.js";
import type { FromPython, PyRecord, PyStepLine } from "./protocol.js";
import type { FlaskPause } from "./tracer-feed.js";
import type { ScenarioDefinition } from "../../trace/scenario.js";

/** What the runner knows of a step it started. */
export interface FlaskStepRun {
  readonly index: number;
  /** Seq of the step's marker in the tracer's stream. */
  readonly markSeq: number;
  /** Trace ms of the marker. */
  readonly startedAt: number;
  readonly notes: string[];
}

/** What assembly reads of a Flask run (the Flask runner is one). */
export interface FlaskAssemblyState {
  readonly options: { readonly scenario: ScenarioDefinition; readonly projectRoot: string; readonly command: string };
  readonly collector: Collector;
  readonly runs: readonly FlaskStepRun[];
  readonly pauses: ReadonlyMap<number, FlaskPause>;
  readonly stepLines: ReadonlyMap<number, PyStepLine>;
  readonly records: readonly PyRecord[];
  readonly functions: readonly PyFunctionInfo[];
  readonly hello?: Extract<FromPython, { t: "hello" }>;
  readonly listening?: { readonly host: string; readonly port: number };
  readonly proxy?: { readonly url: string };
  readonly droppedCalls: number;
  /** The wire messages completed so far, decoded once each by the runner. */
  readonly messages: readonly WireMessage[];
}

/** Paths in a trace: the app's own file relative to the project, installed packages absolute. */
export function displayPath(file: string, projectRoot: string): string {
  const inside = relative(projectRoot, file).replaceAll("\\", "/");
  return inside.startsWith("..") ? file : inside;
}

/**
 * A tracer function as the trace model's `FunctionInfo`. The model's `pkg`
 * union does not know the Python packages yet: this is the one cast.
 */
export function toFunctionInfo(fn: PyFunctionInfo, projectRoot: string, versions: Readonly<Record<string, string>>): FunctionInfo {
  const version = fn.pkg === "app" ? undefined : versions[fn.pkg];
  return {
    ...fn,
    file: displayPath(fn.file, projectRoot),
    pkg: fn.pkg as FunctionInfo["pkg"],
    ...(version ? { version } : {}),
  };
}

function openValues(messages: readonly WireMessage[]): Record<string, string> {
  const values: Record<string, string> = {};
  for (const message of messages) {
    for (const layer of message.layers) {
      if (layer.kind !== "engine.io") continue;
      const open = layer.packets.find((p) => p.name === "open");
      if (!open) continue;
      try {
        const data = JSON.parse(open.data) as { sid?: string; upgrades?: string[]; pingInterval?: number; pingTimeout?: number; maxPayload?: number };
        if (data.sid) values.sid = data.sid;
        if (data.upgrades) values.upgrades = JSON.stringify(data.upgrades);
        if (data.maxPayload !== undefined) values.maxPayload = String(data.maxPayload);
        return values;
      } catch {
        // A malformed open packet leaves the values unknown.
      }
    }
  }
  return values;
}

/** Values as they stood at the end of step `index`: the app's configuration at the next pause (or the last one). */
function liveValues(runner: FlaskAssemblyState, messages: readonly WireMessage[], index: number): Record<string, string> {
  const values: Record<string, string> = {};
  for (const [step, pause] of [...runner.pauses].sort((a, b) => a[0] - b[0])) if (step <= index + 1) Object.assign(values, pause.values);
  if (runner.listening) values.address = `http://${runner.listening.host}:${runner.listening.port}`;
  if (runner.proxy) values.proxy = runner.proxy.url;
  if (runner.hello) values.python = runner.hello.python;
  return { ...values, ...openValues(messages) };
}

function wsgiSnapshot(runner: FlaskAssemblyState): ListenerSnapshot | undefined {
  const before = runner.pauses.get(0);
  const after = runner.pauses.get(1);
  if (!before || !after) return undefined;
  const shown = (chain: readonly string[]): string[] => chain.map((entry) => entry.replace(runner.options.projectRoot + "/", ""));
  // WSGI has one entry point for every request, WebSocket upgrades included: no separate upgrade listener.
  return { before: { request: shown(before.wsgi), upgrade: [] }, after: { request: shown(after.wsgi), upgrade: [] } };
}

/** Builds the whole trace from a Flask runner's state. */
export function assembleFlaskTrace(runner: FlaskAssemblyState): Trace {
  const { scenario, projectRoot, command } = runner.options;
  const c = runner.collector;
  const chunks = c.chunkModels();
  const messages = runner.messages;
  const versions = runner.hello?.versions ?? {};
  const app = displayPath(scenario.server, projectRoot);
  const lines = new Map<number, UserCode>(scenario.client ? stepLines(scenario.client, "client", anchorsFor(scenario, "client"), projectRoot) : []);
  for (const [index, line] of runner.stepLines) lines.set(index, { file: app, line: line.line, text: line.text, side: "server" });
  const records = [...runner.records].sort((a, b) => a[0] - b[0]);
  const ranges: StepRange[] = runner.runs.map((run, i) => ({ from: run.markSeq + 1, to: runner.runs[i + 1]?.markSeq ?? Number.MAX_SAFE_INTEGER }));
  const forests = buildPyCallTrees(records, ranges);
  const takeover = wsgiSnapshot(runner);
  const steps: Step[] = runner.runs.map((run, i) => {
    const next = runner.runs[i + 1];
    const definition = scenario.steps[run.index];
    const values = liveValues(runner, messages, run.index);
    const end = next ? next.startedAt : Infinity;
    const explanation = narrate(definition.explanation ?? "", values) + (run.notes.length ? ` (${run.notes.join("; ")})` : "");
    return {
      index: run.index,
      id: definition.id,
      title: definition.title,
      code: lines.get(run.index),
      explanation,
      // Kept apart too: a narration rebuilt from claims keeps what the runner noted.
      ...(run.notes.length ? { notes: [...run.notes] } : {}),
      values,
      started: run.startedAt,
      ended: next ? next.startedAt : chunks.reduce((latest, chunk) => Math.max(latest, chunk.time), run.startedAt),
      calls: forests[i],
      chunks: chunks.filter((chunk) => chunk.time >= run.startedAt && chunk.time < end).map((chunk) => chunk.seq),
      ...(takeover && definition.listeners ? { listeners: takeover } : {}),
    };
  });
  const packages: Record<string, string> = {};
  for (const pkg of PY_FAMILY) if (versions[pkg]) packages[pkg] = versions[pkg];
  if (runner.hello) packages.python = runner.hello.python;
  return {
    meta: {
      schema: SCHEMA_NAME,
      version: SCHEMA_VERSION,
      tool: readVersion() ?? "0.0.0",
      node: process.version,
      platform: `${process.platform}-${process.arch}`,
      startedAt: new Date(c.startedAt).toISOString(),
      command,
      scenario: scenario.name,
      packages,
      address: runner.listening ? `http://${runner.listening.host}:${runner.listening.port}` : undefined,
    },
    functions: runner.functions.map((fn) => toFunctionInfo(fn, projectRoot, versions)),
    steps,
    connections: [...c.connections.values()],
    chunks,
    logs: c.logs,
    dropped: { ...c.dropped, calls: c.dropped.calls + runner.droppedCalls },
  };
}

function readVersion(): string | undefined {
  try {
    return (JSON.parse(readFileSync(join(PACKAGE_ROOT, "package.json"), "utf8")) as { version?: string }).version;
  } catch {
    return undefined;
  }
}
