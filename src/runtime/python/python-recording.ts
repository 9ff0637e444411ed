/**
 * What assembly reads of a traced Python process: the tracer's functions and
 * call records (its call trees are built per greenlet, see `call-tree.ts`),
 * the app's configuration and WSGI chain at each pause, its step lines, and
 * the versions of the packages it imported.
 */
import { relative } from "node:path";
import { PYTHON_FAMILY, type FunctionInfo, type ListenerSnapshot, type UserCode } from "../../trace/model.js";
import type { StepCalls } from "../../trace/turns.js";
import type { ScenarioDefinition } from "../../trace/scenario.js";
import type { WireMessage } from "../../wire/types.js";
import type { ProcessRecording, StepRange } from "../port.js";
import { buildPyCallTrees } from "./call-tree.js";
import type { PyFunctionInfo } from "./protocol.js";
import type { TracerFeed } from "./tracer-feed.js";

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

/** A Python process's recording, read from the tracer's feed. */
export class PythonRecording implements ProcessRecording {
  constructor(
    private readonly feed: TracerFeed,
    private readonly projectRoot: string,
    /** Where the recording proxy in front of the server listens, once it does. */
    private readonly proxyUrl: () => string | undefined,
  ) {}

  functions(): readonly FunctionInfo[] {
    const versions = this.feed.hello?.versions ?? {};
    return this.feed.functions.map((fn) => toFunctionInfo(fn, this.projectRoot, versions));
  }

  callForests(ranges: readonly StepRange[]): readonly StepCalls[] {
    // A greenlet's frames span steps: the stacks are rebuilt from the first record each time.
    const records = [...this.feed.records].sort((a, b) => a[0] - b[0]);
    // Not folded: a Flask run is a few steps of a few turns (and its trees carry caller lines).
    return buildPyCallTrees(records, ranges).map((calls) => ({ calls }));
  }

  values(messages: readonly WireMessage[]): (index: number) => Readonly<Record<string, string>> {
    const opened = openValues(messages);
    const pauses = [...this.feed.pauses].sort((a, b) => a[0] - b[0]);
    return (index) => {
      // As they stood at the end of step `index`: the app's configuration at the next pause (or the last one).
      const values: Record<string, string> = {};
      for (const [step, pause] of pauses) if (step <= index + 1) Object.assign(values, pause.values);
      const address = this.address();
      if (address) values.address = address;
      const proxy = this.proxyUrl();
      if (proxy) values.proxy = proxy;
      if (this.feed.hello) values.python = this.feed.hello.python;
      return { ...values, ...opened };
    };
  }

  serverLines(scenario: ScenarioDefinition, projectRoot: string): ReadonlyMap<number, UserCode> {
    const app = displayPath(scenario.server, projectRoot);
    const lines = new Map<number, UserCode>();
    for (const [index, line] of this.feed.stepLines) lines.set(index, { file: app, line: line.line, text: line.text, side: "server" });
    return lines;
  }

  takeover(projectRoot: string): ListenerSnapshot | undefined {
    const before = this.feed.pauses.get(0);
    const after = this.feed.pauses.get(1);
    if (!before || !after) return undefined;
    const shown = (chain: readonly string[]): string[] => chain.map((entry) => entry.replace(projectRoot + "/", ""));
    // WSGI has one entry point for every request, WebSocket upgrades included: no separate upgrade listener.
    return { before: { request: shown(before.wsgi), upgrade: [] }, after: { request: shown(after.wsgi), upgrade: [] } };
  }

  packages(): Record<string, string> {
    const versions = this.feed.hello?.versions ?? {};
    const packages: Record<string, string> = {};
    for (const pkg of PYTHON_FAMILY) if (versions[pkg]) packages[pkg] = versions[pkg];
    if (this.feed.hello) packages.python = this.feed.hello.python;
    return packages;
  }

  address(): string | undefined {
    const listening = this.feed.listening;
    return listening ? `http://${listening.host}:${listening.port}` : undefined;
  }

  droppedCalls(): number {
    return this.feed.droppedCalls;
  }
}
