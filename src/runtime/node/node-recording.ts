/**
 * What assembly reads of a traced Node process: the functions and call
 * records it sent (kept in the run's collector), the listener lists and
 * server options seen at each pause, and the socket.io packages it loaded.
 */
import { dirname } from "node:path";
import type { StepCalls } from "../../trace/turns.js";
import { FAMILY, FAMILY_WHEN_LOADED, type FunctionInfo, type ListenerSnapshot, type UserCode } from "../../trace/model.js";
import { anchorsFor, type ScenarioDefinition } from "../../trace/scenario.js";
import type { SocketPacket, WireMessage } from "../../wire/types.js";
import { resolveFamilyDir } from "../../source/package-locate.js";
import type { Collector } from "../collector.js";
import type { ProcessRecording, StepRange } from "../port.js";
import { readVersion, stepLines } from "../step-lines.js";
import type { ListenerRef } from "./protocol.js";
import type { PauseSnapshot } from "./traced-feed.js";
import type { AppServer } from "./app-state.js";

/** A Node process's recording, read from its collector and pauses. */
export class NodeRecording implements ProcessRecording {
  /** A user's app: the socket.io server its client steps reach, as read from the live server. */
  appServer: () => AppServer | undefined = () => undefined;

  constructor(
    private readonly collector: Collector,
    /** Listener lists and server configuration seen at each pause, by step index. */
    readonly pauses: ReadonlyMap<number, PauseSnapshot>,
  ) {}

  functions(): readonly FunctionInfo[] {
    return this.collector.functions;
  }

  callForests(ranges: readonly StepRange[], known: ReadonlyMap<number, StepCalls>): readonly StepCalls[] {
    // Repeated turns were folded as they arrived, and a step's whole turns fold as each returns: a long step is never held unfolded.
    return ranges.map((range, i) => known.get(i) ?? this.collector.forest(range.from, range.to));
  }

  values(messages: readonly WireMessage[]): (index: number) => Readonly<Record<string, string>> {
    // The server's options are read at its pauses, all before the client steps: one set for every step.
    const values = liveValues(this.pauses, this.appServer(), this.collector.address, messages);
    return () => values;
  }

  serverLines(scenario: ScenarioDefinition, projectRoot: string): ReadonlyMap<number, UserCode> {
    return stepLines(scenario.server, "server", anchorsFor(scenario, "server"), projectRoot);
  }

  takeover(): ListenerSnapshot | undefined {
    if (!this.pauses.has(0)) return undefined;
    return { before: this.listenerNames(this.pauses.get(0)?.listeners), after: this.listenerNames(this.pauses.get(1)?.listeners) };
  }

  packages(scenario: ScenarioDefinition): Record<string, string> {
    const packages: Record<string, string> = {};
    for (const pkg of FAMILY) {
      const loaded = this.collector.functions.find((f) => f.pkg === pkg && f.version)?.version;
      if (loaded === undefined && FAMILY_WHEN_LOADED.has(pkg)) continue;
      // Not loaded (a frames-only run): the copy Node would give the server, hoisted or nested.
      // An app's header says what it loaded; a package it never loaded is not its version.
      const dir = loaded === undefined && !scenario.ownApp ? resolveFamilyDir(pkg, dirname(scenario.server)) : undefined;
      const installed = loaded ?? (dir === undefined ? undefined : readVersion(dir));
      if (installed) packages[pkg] = installed;
    }
    return packages;
  }

  address(): string | undefined {
    return this.collector.address;
  }

  droppedCalls(): number {
    // The collector counts what the recorder and its own bounds dropped.
    return 0;
  }

  private listenerNames(refs: Readonly<Record<string, readonly ListenerRef[]>> | undefined): Record<string, string[]> {
    const out: Record<string, string[]> = {};
    for (const [event, list] of Object.entries(refs ?? {})) {
      out[event] = list.map((ref) => {
        const info = ref.id !== undefined ? this.collector.fn(ref.id) : undefined;
        return info ? `${info.name} (${info.file}:${info.line})` : `${ref.name} (not traced)`;
      });
    }
    return out;
  }
}

/** The server's options at its last pause (or, for a user's app, as read from the live server), its address, and what the first open packet told. */
/** The pid of a CONNECT answer among `packets` (connectionStateRecovery on), if one has it. */
function recoveryPid(packets: readonly SocketPacket[]): string | undefined {
  for (const packet of packets) {
    if (packet.name !== "CONNECT" || !packet.data.includes('"pid"')) continue;
    try {
      const { pid } = JSON.parse(packet.data) as { pid?: unknown };
      if (typeof pid === "string") return pid;
    } catch {
      // Not JSON: no pid to tell.
    }
  }
  return undefined;
}

function liveValues(pauses: ReadonlyMap<number, PauseSnapshot>, app: AppServer | undefined, address: string | undefined, messages: readonly WireMessage[]): Record<string, string> {
  const values: Record<string, string> = {};
  const servers = [...pauses.values()].flatMap((p) => p.servers);
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
  if (app && !server) {
    values.path = app.path;
    values.transports = JSON.stringify(app.transports);
    for (const [key, value] of Object.entries(app.engine ?? {})) values[key] = String(value);
  }
  if (address) values.address = address;
  for (const message of messages) {
    const head = message.layers[0];
    if (!values.path && head?.kind === "http-request" && head.target.includes("EIO=")) values.path = head.target.split("?")[0].replace(/\/$/, "");
    for (const layer of message.layers) {
      // With connectionStateRecovery, the CONNECT answer names the session's private id: the pid a recovering client shows.
      const pid = layer.kind === "socket.io" && message.dir === "out" ? recoveryPid(layer.packets) : undefined;
      if (pid) values.pid ??= pid;
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
