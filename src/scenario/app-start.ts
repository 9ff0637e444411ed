/**
 * A user's own app under the tracer: started in one go (it starts up in its
 * own time, with no pause), then its start-up cut into steps from the call
 * sites it recorded, and the built-in client's steps added when it serves.
 * Node only: the app is a Node program, so this is where the Node adapter is
 * constructed for it.
 */
import { join } from "node:path";
import { PACKAGE_ROOT, type ScenarioDefinition } from "../trace/scenario.js";
import type { AppState } from "../runtime/node/app-state.js";
import { awaitStartup, startupVerdict, targetServer } from "../runtime/node/app-startup.js";
import { NodeProcess } from "../runtime/node/node-runtime.js";
import { appClientConfig, liveSteps, stepsFromRecording, type AppClientOptions } from "./app-steps.js";
import { Runner, type RunnerOptions } from "./runner.js";
import { loaderArgs } from "./app-loaders.js";
import { appClaims } from "./app-claims.js";
import { readAppSource } from "./app-source-files.js";

/** Options of a run of the user's own app. */
export interface AppRunnerOptions extends Omit<RunnerOptions, "scenario" | "runtime"> {
  /** Absolute path of the app's entry module. */
  readonly entry: string;
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

/**
 * Starts a user's app and lets it start up in one go, then cuts its start-up
 * into steps. Never throws for the app's own failures: they are in the
 * runner's `failure`, and the trace so far is kept.
 */
export async function startAppRun(options: AppRunnerOptions): Promise<AppRun> {
  const scenario: ScenarioDefinition = { name: options.entry, title: `your app: ${options.entry}`, server: options.entry, steps: [], ownApp: true };
  const runner = Runner.create({ ...options, scenario });
  // `node --import tsx trace-socket server.js`: the app runs under the user's loaders, as it would bare.
  const server = NodeProcess.startApp({ scenario, entry: options.entry, anchors: [], projectRoot: options.projectRoot, collector: runner.collector }, { ...options, execArgv: loaderArgs(process.execArgv) });
  runner.attach(server);
  const collector = runner.collector;
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
  if (!appState && !runner.failure && !server.dead) runner.failure = "the traced app stopped answering (is its event loop blocked?)";
  if (appState && !runner.failure) {
    const verdict = startupVerdict({ entry: options.entry, projectRoot: options.projectRoot, idleMs: options.startIdleMs, state: appState, address: collector.address, loaded });
    if (verdict) runner.failure = verdict;
  }
  if (server.dead) await server.exited;
  server.recording.appServer = () => targetServer(appState, collector.address);
  const target = targetServer(appState, collector.address);
  // An app that is not a socket.io server gets no socket.io narration.
  if (!appState || appState.servers.length) {
    const derived = stepsFromRecording(collector.records(0, Number.MAX_SAFE_INTEGER), server.sites, (id) => collector.fn(id), options.projectRoot);
    const live = !runner.failure && !server.dead && target?.listening ? liveSteps(options.client, target) : [];
    runner.steps.push(...derived, ...live);
    const source = readAppSource(collector.functions, options.projectRoot);
    const config = options.client && target ? appClientConfig(options.client, target, 0) : undefined;
    runner.derivedClaims = appClaims([...derived, ...live], source, { path: target?.path ?? "{path}" }, config);
  }
  const client = options.client;
  runner.ownClients = !client;
  runner.clientPlan = (index, url) => {
    const now = targetServer(appState, collector.address);
    const to = now?.listening ?? url;
    if (!client || !now || to === undefined) return { url: to, server: "the traced server" };
    return { url: to, server: "the traced server", entry: APP_CLIENT, env: { TRACE_SOCKET_APP_CLIENT: JSON.stringify(appClientConfig(client, now, index)) } };
  };
  return { runner, server, appState };
}
