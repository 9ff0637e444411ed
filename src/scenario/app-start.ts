/**
 * A user's own app under the tracer: started in one go (it starts up in its
 * own time, with no pause), then its start-up cut into steps from the call
 * sites it recorded, and the built-in client's steps added when it serves.
 * Several processes of the app (`app-instances.ts`) start one after the
 * other, each up to the end of its start-up, so that each one's start-up
 * steps are its own and the run's timeline reads in order.
 * Node only: the app is a Node program, so this is where the Node adapter is
 * constructed for it.
 */
import { join } from "node:path";
import { PACKAGE_ROOT, type ScenarioDefinition } from "../trace/scenario.js";
import type { AppServer, AppState } from "../runtime/node/app-state.js";
import { awaitStartup, startupVerdict, targetServer } from "../runtime/node/app-startup.js";
import { NodeProcess } from "../runtime/node/node-runtime.js";
import type { Marked } from "../runtime/port.js";
import type { ClaimsFile } from "../trace/claims-spec.js";
import { appClientConfig, liveSteps, stepsFromRecording, type AppClientOptions, type AppStep, type DerivedStep } from "./app-steps.js";
import { Runner, type RunnerOptions } from "./runner.js";
import { loaderArgs } from "./app-loaders.js";
import { appClaims } from "./app-claims.js";
import { readAppSource } from "./app-source-files.js";
import { instanceClientSteps, instanceStartupSteps, type AppInstance } from "./app-instances.js";

/** Options of a run of the user's own app. */
export interface AppRunnerOptions extends Omit<RunnerOptions, "scenario" | "runtime" | "processes"> {
  /** Absolute path of the app's entry module (the first process's, in a run of several). */
  readonly entry: string;
  /** Several processes of the app, in order (default: one, `entry`). */
  readonly instances?: readonly AppInstance[];
  readonly args: readonly string[];
  /** The app's own files (instrumented too): its package root. */
  readonly appRoot: string;
  /** Undefined: no built-in client (wait for external ones). */
  readonly client?: AppClientOptions;
  /** Whether the user chose `--host`: then the app's own bind address stands. */
  readonly hostGiven: boolean;
  /** How long the app may sit idle before it serves (while it works, it is given all the time it takes). */
  readonly startIdleMs: number;
}

const APP_CLIENT = join(PACKAGE_ROOT, "dist", "scenario", "app-client.js");

/** What a user's app run knows beyond the runner: the app's state when start-up ended, its notices. */
export interface AppRun {
  readonly runner: Runner;
  readonly server: NodeProcess;
  /** What the app had become when start-up ended (its socket.io servers, cluster workers). */
  readonly appState?: AppState;
}

/** One process of the app, started up. */
interface Started {
  readonly server: NodeProcess;
  readonly appState?: AppState;
  /** Its start-up steps, with the seqs of its own records. */
  readonly derived: DerivedStep[];
  /** The server its built-in client talks to. */
  readonly target?: AppServer;
  /** Where its start-up ended (a marker, so that it notes no more call sites). */
  readonly end: Marked;
}

/** Starts process `id` of the run and waits for the end of its start-up; never throws for the app's own failures. */
async function startInstance(runner: Runner, id: number, instance: AppInstance, options: AppRunnerOptions, scenario: ScenarioDefinition): Promise<Started> {
  const { collector } = runner.processes[id];
  const several = runner.processes.length > 1;
  // `node --import tsx trace-socket server.js`: the app runs under the user's loaders, as it would bare.
  const server = NodeProcess.startApp({ scenario, entry: instance.entry, anchors: [], projectRoot: options.projectRoot, collector }, { ...options, entry: instance.entry, env: instance.env, execArgv: loaderArgs(process.execArgv) });
  runner.attach(server, id);
  const loaded = (pkg: string): boolean => collector.functions.some((f) => f.pkg === pkg);
  const appState = await awaitStartup(
    {
      describe: () => server.describe(),
      settle: async () => void (await server.settle()),
      address: () => collector.address,
      over: () => server.dead || runner.failure !== undefined,
      loaded,
    },
    options.startIdleMs,
  );
  const failed = (text: string): void => void (runner.failure ??= several ? `process ${instance.name} (${instance.entry}): ${text}` : text);
  if (!appState && !runner.failure && !server.dead) failed("the traced app stopped answering (is its event loop blocked?)");
  if (appState && !runner.failure) {
    const verdict = startupVerdict({ entry: instance.entry, projectRoot: options.projectRoot, idleMs: options.startIdleMs, state: appState, address: collector.address, loaded });
    if (verdict) failed(verdict);
  }
  if (server.dead) await server.exited;
  server.recording.appServer = () => targetServer(appState, collector.address);
  const target = targetServer(appState, collector.address);
  // An app that is not a socket.io server gets no socket.io narration.
  const derived = !appState || appState.servers.length ? stepsFromRecording(collector.records(0, Number.MAX_SAFE_INTEGER), server.sites, (fn) => collector.fn(fn), options.projectRoot) : [];
  const end = several && !server.dead ? await server.mark(runner.steps.length).catch(() => lastRecord(runner, id)) : lastRecord(runner, id);
  return { server, appState, derived, target, end };
}

/** The last record process `id` sent, as a marker would stand there. */
function lastRecord(runner: Runner, id: number): Marked {
  const { collector } = runner.processes[id];
  const records = collector.records(0, Number.MAX_SAFE_INTEGER);
  const seq = records.length ? records.seq(records.length - 1) : -1;
  return { seq, time: collector.timeOf(seq) ?? 0 };
}

/**
 * Starts a user's app (each of its processes in turn) and lets it start up in
 * one go, then cuts its start-up into steps. Never throws for the app's own
 * failures: they are in the runner's `failure`, and the trace so far is kept.
 */
export async function startAppRun(options: AppRunnerOptions): Promise<AppRun> {
  const instances = options.instances ?? [{ name: "server", entry: options.entry }];
  const several = instances.length > 1;
  const scenario: ScenarioDefinition = { name: options.entry, title: `your app: ${options.entry}`, server: options.entry, steps: [], ownApp: true };
  const runner = Runner.create({ ...options, scenario }, several ? instances.map((i) => ({ name: i.name })) : undefined);
  const started: Started[] = [];
  // One after the other: each one's start-up is over before the next begins.
  for (const [id, instance] of instances.entries()) started.push(await startInstance(runner, id, instance, options, scenario));
  const names = instances.map((i) => i.name);
  const startup = several
    ? started.flatMap((s, k) => instanceStartupSteps(s.derived, names[k], k, started.map((o) => o.end), started.length, (seq) => runner.processes[k].collector.timeOf(seq)))
    : started[0].derived;
  const serving = started.every((s) => s.target?.listening) && !runner.failure && !started.some((s) => s.server.dead);
  const client = options.client;
  const clients = several && client && serving ? instanceClientSteps(client, started.map((s) => s.target!), names, startup.length) : undefined;
  const live: AppStep[] = !serving || started.some((s) => !s.appState?.servers.length) ? [] : clients ? clients.steps : liveSteps(client, started[0].target!);
  if (started.some((s) => !s.appState || s.appState.servers.length)) {
    runner.steps.push(...startup, ...live);
    runner.derivedClaims = claimsOf(runner, started, [...startup, ...live], options);
  }
  runner.ownClients = !client;
  runner.clientPlan = (index, url, id) => {
    const s = started[id];
    const now = targetServer(s.appState, runner.processes[id].collector.address);
    const to = now?.listening ?? url;
    if (!client || !now || to === undefined) return { url: to, server: "the traced server" };
    const config = clients ? appClientConfig(client, now, index, clients.indices[id]) : appClientConfig(client, now, index);
    return { url: to, server: "the traced server", entry: APP_CLIENT, env: { TRACE_SOCKET_APP_CLIENT: JSON.stringify(config) } };
  };
  return { runner, server: started[0].server, appState: started[0].appState };
}

/** The claims of each process's steps, made from its own source (a run of one: all of them). */
function claimsOf(runner: Runner, started: readonly Started[], steps: readonly AppStep[], options: AppRunnerOptions): ClaimsFile {
  const several = started.length > 1;
  return Object.assign({}, ...started.map((s, k) => {
    const mine = several ? steps.filter((step) => step.process === runner.processes[k].name) : steps;
    const source = readAppSource(runner.processes[k].collector.functions, options.projectRoot);
    const config = options.client && s.target ? appClientConfig(options.client, s.target, 0) : undefined;
    return appClaims(mine, source, { path: s.target?.path ?? "{path}" }, config);
  })) as ClaimsFile;
}
