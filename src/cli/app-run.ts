/**
 * Resolving and starting a user's own app under the tracer.
 */
import { existsSync, statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import type { Runner } from "../scenario/runner.js";
import { startAppRun } from "../scenario/app-start.js";
import type { AppClientOptions } from "../scenario/app-steps.js";
import { UsageError } from "./errors.js";
import type { StepLoopOptions } from "./step-loop.js";
import type { AppTarget } from "./mode.js";
import { fileInstances, processInstances, type AppInstance } from "../scenario/app-instances.js";

/** Flags that shape an app run. */
export interface AppFlags {
  readonly host: string;
  readonly hostGiven: boolean;
  readonly client: "builtin" | "none";
  readonly transports?: string[];
  readonly namespace: string;
  readonly auth?: Record<string, unknown>;
  readonly emit: AppClientOptions["emits"];
  readonly timeout?: number;
  /** `--header` values by lower-case name. */
  readonly header?: Readonly<Record<string, string>>;
  /** `--cookie` pairs, `name=value`. */
  readonly cookie?: readonly string[];
  readonly query?: Readonly<Record<string, string>>;
}

/** The built-in client's options from the flags: cookies join any `--header 'Cookie: …'`. */
export function clientOptionsOf(flags: AppFlags): AppClientOptions {
  const headers: Record<string, string> = { ...flags.header };
  if (flags.cookie?.length) headers.cookie = [headers.cookie, ...flags.cookie].filter(Boolean).join("; ");
  return {
    namespace: flags.namespace,
    transports: flags.transports,
    auth: flags.auth,
    emits: flags.emit,
    timeoutMs: flags.timeout,
    headers: Object.keys(headers).length ? headers : undefined,
    query: flags.query,
  };
}

/** The app's package root: the nearest folder with a package.json, else the entry's folder. */
export function appRootOf(entry: string): string {
  let dir = dirname(entry);
  for (;;) {
    if (existsSync(join(dir, "package.json"))) return dir;
    const parent = dirname(dir);
    if (parent === dir) return dirname(entry);
    dir = parent;
  }
}

/** The app's files, resolved; a missing one is a usage error before anything starts. */
function entriesOf(target: Pick<AppTarget, "entry" | "more">): string[] {
  return [target.entry, ...(target.more ?? [])].map((path) => {
    const entry = resolve(path);
    if (!existsSync(entry) || !statSync(entry).isFile()) throw new UsageError(`no such file: ${path}`);
    return entry;
  });
}

/** The processes of the app a target names: one per file, or `--processes n` of one (none for a run of one). */
function instancesOf(target: AppTarget, entries: readonly string[]): AppInstance[] | undefined {
  if (entries.length > 1) return fileInstances(entries);
  if ((target.processes ?? 1) > 1) return processInstances(entries[0], target.processes!, process.env);
  return undefined;
}

/** Starts the app (its start-up runs in one go; several processes one after the other) and returns the runner. */
export async function startApp(target: AppTarget, flags: AppFlags, command: string, onChange?: () => void): Promise<Runner> {
  const entries = entriesOf(target);
  const entry = entries[0];
  const instances = instancesOf(target, entries);
  const client: AppClientOptions | undefined =
    flags.client === "none" ? undefined : clientOptionsOf(flags);
  const run = await startAppRun({
    entry,
    ...(instances ? { instances } : {}),
    args: target.args,
    appRoot: appRootOf(entry),
    projectRoot: process.cwd(),
    hostGiven: flags.hostGiven,
    client,
    command,
    onChange,
    startIdleMs: Number(process.env.TRACE_SOCKET_START_TIMEOUT ?? 10_000),
  });
  return run.runner;
}

/**
 * How the step loop runs an app that has started: its start-up notices on
 * stderr first; after a failure only the steps start-up recorded; with
 * `--client none`, the run goes on until Ctrl-C (or the app ends), its own
 * clients' traffic recorded live, and then `then` happens.
 */
export function appStepLoop(runner: Runner, flags: Pick<AppFlags, "client">, then: string): StepLoopOptions<Runner> {
  if (runner.collector.address) process.stderr.write(`trace-socket: traced server listening on ${runner.collector.address}\n`);
  for (const notice of runner.notices) process.stderr.write(`trace-socket: ${notice}\n`);
  return {
    more: (r) => r.nextStep < r.stepCount && (!r.failure || r.isRecorded(r.nextStep)),
    beforeClose:
      flags.client === "none"
        ? async (stopped) => {
            if (runner.failure) return;
            process.stderr.write(`trace-socket: waiting for clients; press Ctrl-C to ${then}\n`);
            await Promise.race([stopped, runner.server.exited]);
          }
        : undefined,
  };
}
