/**
 * Assembles the trace model from what a run collected: cuts the record stream
 * at the step markers into call trees, assigns chunks to steps by time, fills
 * the narration with live values.
 */
import { readFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { parse } from "acorn";
import { buildCallTrees } from "../trace/call-tree.js";
import { FAMILY, FAMILY_WHEN_LOADED, SCHEMA_NAME, SCHEMA_VERSION, type CallNode, type ListenerSnapshot, type LiveState, type Step, type Trace, type UserCode } from "../trace/model.js";
import type { WireMessage } from "../wire/types.js";
import { pauseInsertions, type PausePoint } from "../instrument/step-points.js";
import type { AstNode } from "../instrument/naming.js";
import { anchorsFor, narrate, PACKAGE_ROOT, type ScenarioDefinition, type StepDefinition } from "../trace/scenario.js";
import type { Collector } from "../runtime/collector.js";
import type { ListenerRef } from "../runtime/node/protocol.js";
import type { PauseSnapshot } from "../runtime/node/traced-feed.js";
import { resolveFamilyDir } from "../source/package-locate.js";
import type { AppServer } from "../runtime/node/app-state.js";

/** What the runner knows of a step it started. */
export interface StepRun {
  readonly index: number;
  /** Seq of the step's marker record. */
  readonly markSeq: number;
  /** Trace ms of the marker. */
  readonly startedAt: number;
  readonly notes: string[];
  /** The traced server's state once the step had settled. */
  state?: LiveState;
}

/**
 * What assembly reads of a run (the runner is one). The closed steps' call
 * trees are the runner's cache: assembly fills it as steps close.
 */
export interface AssemblyState {
  readonly options: { readonly scenario: ScenarioDefinition; readonly projectRoot: string; readonly command: string };
  readonly steps: readonly StepDefinition[];
  readonly collector: Collector;
  readonly pauses: ReadonlyMap<number, PauseSnapshot>;
  readonly runs: readonly StepRun[];
  /** Call trees of steps another step followed, built once. */
  readonly closedSteps: Map<number, readonly CallNode[]>;
  /** The wire messages completed so far, decoded once each by the runner. */
  readonly messages: readonly WireMessage[];
  /** A user's app: the socket.io server its client steps reach, as read from the live server. */
  readonly appServer?: AppServer;
}

/** The lines of `file` where the steps of `anchors` start. */
export function stepLines(file: string, side: "server" | "client", anchors: ReturnType<typeof anchorsFor>, root: string): Map<number, UserCode> {
  const out = new Map<number, UserCode>();
  try {
    const source = readFileSync(file, "utf8");
    const program = parse(source, { ecmaVersion: "latest", sourceType: "module", locations: true }) as unknown as AstNode;
    const points: PausePoint[] = [];
    pauseInsertions(program, source, anchors, points);
    const lines = source.split("\n");
    for (const point of points) {
      out.set(point.step, { file: relative(root, file).replaceAll("\\", "/"), line: point.line, text: lines[point.line - 1].trim(), side });
    }
  } catch {
    // A scenario file that does not parse has no step lines; the run itself reports the error.
  }
  return out;
}

function readVersion(dir: string): string | undefined {
  try {
    return (JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as { version?: string }).version;
  } catch {
    return undefined;
  }
}

function listenerNames(runner: AssemblyState, refs: Readonly<Record<string, readonly ListenerRef[]>> | undefined): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [event, list] of Object.entries(refs ?? {})) {
    out[event] = list.map((ref) => {
      const info = ref.id !== undefined ? runner.collector.fn(ref.id) : undefined;
      return info ? `${info.name} (${info.file}:${info.line})` : `${ref.name} (not traced)`;
    });
  }
  return out;
}

function liveValues(runner: AssemblyState, messages: readonly WireMessage[]): Record<string, string> {
  const values: Record<string, string> = {};
  const servers = [...runner.pauses.values()].flatMap((p) => p.servers);
  const server = servers[servers.length - 1];
  if (server) {
    const engine = server.engine as Record<string, unknown>;
    values.path = server.path;
    if (server.connectTimeout !== undefined) values.connectTimeout = String(server.connectTimeout);
    if (server.serveClient !== undefined) values.serveClient = String(server.serveClient);
    values.middlewares = String(server.middlewares["/"] ?? 0);
    for (const key of ["pingInterval", "pingTimeout", "upgradeTimeout", "maxHttpBufferSize"]) if (engine[key] !== undefined) values[key] = String(engine[key]);
    if (Array.isArray(engine.transports)) values.transports = JSON.stringify(engine.transports);
    const cors = engine.cors as { origin?: unknown } | undefined;
    if (cors?.origin !== undefined) values.origins = JSON.stringify(cors.origin);
  }
  const app = runner.appServer;
  if (app && !server) {
    values.path = app.path;
    values.transports = JSON.stringify(app.transports);
    for (const [key, value] of Object.entries(app.engine ?? {})) values[key] = String(value);
  }
  if (runner.collector.address) values.address = runner.collector.address;
  for (const message of messages) {
    const head = message.layers[0];
    if (!values.path && head?.kind === "http-request" && head.target.includes("EIO=")) values.path = head.target.split("?")[0].replace(/\/$/, "");
    for (const layer of message.layers) {
      if (layer.kind !== "engine.io") continue;
      const open = layer.packets.find((p) => p.name === "open");
      if (!open || values.sid) continue;
      try {
        const data = JSON.parse(open.data) as { sid?: string; upgrades?: string[]; maxPayload?: number; pingInterval?: number; pingTimeout?: number };
        if (data.sid) values.sid = data.sid;
        // Without a pause to read the server's options (a user's app), the open packet still tells these.
        if (data.pingInterval !== undefined) values.pingInterval ??= String(data.pingInterval);
        if (data.pingTimeout !== undefined) values.pingTimeout ??= String(data.pingTimeout);
        if (data.upgrades) values.upgrades = JSON.stringify(data.upgrades);
        if (data.maxPayload !== undefined) values.maxPayload = String(data.maxPayload);
      } catch {
        // A malformed open packet leaves the values unknown.
      }
    }
  }
  return values;
}

/** Builds the whole trace from a run's state. */
export function assembleTrace(runner: AssemblyState): Trace {
  const { scenario, projectRoot, command } = runner.options;
  const definitions = runner.steps;
  const c = runner.collector;
  const chunks = c.chunkModels();
  const values = liveValues(runner, runner.messages);
  const lines = new Map([
    ...stepLines(scenario.server, "server", anchorsFor(scenario, "server"), projectRoot),
    ...(scenario.client ? stepLines(scenario.client, "client", anchorsFor(scenario, "client"), projectRoot) : []),
  ]);
  const takeover: ListenerSnapshot | undefined = runner.pauses.has(0)
    ? { before: listenerNames(runner, runner.pauses.get(0)?.listeners), after: listenerNames(runner, runner.pauses.get(1)?.listeners) }
    : undefined;
  const steps: Step[] = runner.runs.map((run, i) => {
    const next = runner.runs[i + 1];
    const definition = definitions[run.index];
    const end = next ? next.startedAt : Infinity;
    // A step followed by another can no longer change: its tree is built once.
    const cached = next ? runner.closedSteps.get(run.index) : undefined;
    const calls = cached ?? buildCallTrees(c.records(run.markSeq + 1, next ? next.markSeq : Number.MAX_SAFE_INTEGER));
    if (next && !cached) runner.closedSteps.set(run.index, calls);
    const stepChunks = chunks.filter((chunk) => chunk.time >= run.startedAt && chunk.time < end).map((chunk) => chunk.seq);
    const explanation = narrate(definition.explanation ?? "", values) + (run.notes.length ? ` (${run.notes.join("; ")})` : "");
    return {
      index: run.index,
      id: definition.id,
      title: definition.title,
      code: definition.code ?? lines.get(run.index),
      explanation,
      // Kept apart too: a narration rebuilt from claims keeps what the runner noted.
      ...(run.notes.length ? { notes: [...run.notes] } : {}),
      values,
      started: run.startedAt,
      ended: next ? next.startedAt : chunks.reduce((latest, chunk) => Math.max(latest, chunk.time), run.startedAt),
      calls,
      chunks: stepChunks,
      listeners: definition.listeners ? takeover : undefined,
      ...(run.state ? { state: run.state } : {}),
    };
  });
  const packages: Record<string, string> = {};
  for (const pkg of FAMILY) {
    const loaded = c.functions.find((f) => f.pkg === pkg && f.version)?.version;
    if (loaded === undefined && FAMILY_WHEN_LOADED.has(pkg)) continue;
    // Not loaded (a frames-only run): the copy Node would give the server, hoisted or nested.
    // An app's header says what it loaded; a package it never loaded is not its version.
    const dir = loaded === undefined && !scenario.ownApp ? resolveFamilyDir(pkg, dirname(scenario.server)) : undefined;
    const installed = loaded ?? (dir === undefined ? undefined : readVersion(dir));
    if (installed) packages[pkg] = installed;
  }
  return {
    meta: {
      schema: SCHEMA_NAME,
      version: SCHEMA_VERSION,
      tool: readVersion(PACKAGE_ROOT) ?? "0.0.0",
      node: process.version,
      platform: `${process.platform}-${process.arch}`,
      startedAt: new Date(c.startedAt).toISOString(),
      command,
      scenario: relative(projectRoot, scenario.name).startsWith("..") ? scenario.name : scenario.name.includes("/") ? relative(projectRoot, scenario.name) : scenario.name,
      packages,
      address: c.address,
    },
    functions: c.functions,
    steps,
    connections: [...c.connections.values()],
    chunks,
    logs: c.logs,
    dropped: { ...c.dropped },
  };
}
