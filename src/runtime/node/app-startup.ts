/**
 * When a user's app has started, and what it turned out to be. Apps start up
 * in their own time (after an `await`, in a timer, once a database answers), so
 * start-up is over when one of its socket.io servers serves a listening HTTP
 * server and the process has been quiet a moment — or when it is clear none
 * ever will: it listened without loading socket.io, it forked cluster workers,
 * it exited, or it has been idle for the start limit. Apps that are not socket.io servers
 * are named as what they are, never traced as if they were.
 */
import { basename, relative } from "node:path";
import { IdleWatch } from "../progress.js";
import type { AppServer, AppState } from "./app-state.js";

/** What start-up waiting needs from the run. */
export interface StartupProbe {
  /** The app's state now; undefined once the process is gone. */
  readonly describe: () => Promise<AppState | undefined>;
  /** Waits until the process has been quiet a moment. */
  readonly settle: () => Promise<void>;
  /** The first address anything in the app listened on. */
  readonly address: () => string | undefined;
  /** True once the process exited or failed. */
  readonly over: () => boolean;
  /** Whether a package of the family was loaded (had a function registered). */
  readonly loaded: (pkg: string) => boolean;
}

function ready(state: AppState, probe: StartupProbe): boolean {
  if (state.servers.some((s) => s.listening)) return true;
  // Listening without socket.io loaded, or a cluster primary: nothing more will come.
  if (state.servers.length === 0 && probe.address() !== undefined && !probe.loaded("socket.io")) return true;
  return state.servers.length === 0 && state.workers > 0;
}

/**
 * Waits for the end of start-up and returns the app's state then: while the
 * app works (a slow machine, a big import), for as long as it takes; once it
 * has been idle for `idleMs` without serving, start-up is over as it is.
 */
export async function awaitStartup(probe: StartupProbe, idleMs: number): Promise<AppState | undefined> {
  const idle = new IdleWatch({ idleMs });
  // Asking is work too (about 4 % of a core at every 50 ms): the pace slows, so that an idle app reads as idle.
  for (let pause = 50; ; pause = Math.min(500, pause * 1.5)) {
    if (probe.over()) return undefined;
    const state = await probe.describe();
    if (!state) return undefined;
    if (ready(state, probe) || idle.expired()) break;
    await new Promise((resolve) => setTimeout(resolve, pause));
  }
  await probe.settle();
  return probe.over() ? undefined : probe.describe();
}

/** The server the built-in client talks to: the one on the first address, else the first that listens. */
export function targetServer(state: AppState | undefined, address: string | undefined): AppServer | undefined {
  const listening = state?.servers.filter((s) => s.listening) ?? [];
  return listening.find((s) => s.listening === address) ?? listening[0];
}

function port(address: string): string {
  return /:(\d+)$/.exec(address)?.[1] ?? address;
}

/** Why the app cannot be traced as a socket.io server, or undefined when it can. */
export function startupVerdict(options: {
  readonly entry: string;
  readonly projectRoot: string;
  readonly state: AppState;
  readonly address: string | undefined;
  readonly loaded: (pkg: string) => boolean;
  /** How long the app sat idle before start-up was taken as over. */
  readonly idleMs: number;
}): string | undefined {
  const { state, address, loaded } = options;
  if (targetServer(state, address)) return undefined;
  const name = relative(options.projectRoot, options.entry).startsWith("..") ? options.entry : relative(options.projectRoot, options.entry);
  const idle = `it had been idle for ${options.idleMs / 1000} s`;
  if (state.servers.length === 0 && state.workers > 0) {
    const exec = state.workerExec;
    const own = exec === undefined || exec === options.entry;
    const how = own
      ? `its workers run ${basename(name)} again with cluster.isPrimary false, untraced; trace-socket traces one process: run the workers' code (the branch that creates the Server) as an entry of its own`
      : `trace a worker with: trace-socket ${relative(options.projectRoot, exec)}`;
    return `${name} is a cluster primary: it forked ${state.workers} worker${state.workers === 1 ? "" : "s"} and never created a socket.io Server itself; ${how}`;
  }
  if (state.servers.length === 0 && address !== undefined) {
    const why = loaded("socket.io") ? `socket.io was loaded, but no Server was created by the time ${idle}` : loaded("ws") ? "it loaded ws, not socket.io" : "no socket.io module was loaded";
    return `${name} listened on :${port(address)} but never created a socket.io Server (${why}); trace-socket traces socket.io servers only`;
  }
  if (state.servers.length === 0) return `the app never created a socket.io server (by the time ${idle})`;
  if (address !== undefined) return `${name} listened on :${port(address)}, but its socket.io Server was not attached to a listening server by the time ${idle} (new Server(httpServer), io.attach(httpServer) or io.listen(port))`;
  return `the app created a socket.io server but did not listen by the time ${idle}`;
}
