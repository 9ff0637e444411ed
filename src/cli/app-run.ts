/**
 * Resolving and starting a user's own app under the tracer.
 */
import { existsSync, statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { Runner } from "../scenario/runner.js";
import type { AppClientOptions } from "../scenario/app-steps.js";
import { UsageError } from "./errors.js";

/** Flags that shape an app run. */
export interface AppFlags {
  readonly host: string;
  readonly hostGiven: boolean;
  readonly client: "builtin" | "none";
  readonly transports?: string[];
  readonly namespace: string;
  readonly auth?: Record<string, unknown>;
  readonly emit: AppClientOptions["emits"];
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

/** Starts the app (its start-up runs in one go) and returns the runner. */
export async function startApp(path: string, args: readonly string[], flags: AppFlags, command: string, onChange?: () => void): Promise<Runner> {
  const entry = resolve(path);
  if (!existsSync(entry) || !statSync(entry).isFile()) throw new UsageError(`no such file: ${path}`);
  const client: AppClientOptions | undefined =
    flags.client === "none" ? undefined : { namespace: flags.namespace, transports: flags.transports, auth: flags.auth, emits: flags.emit };
  return Runner.startApp({
    entry,
    args,
    appRoot: appRootOf(entry),
    projectRoot: process.cwd(),
    host: flags.host,
    hostGiven: flags.hostGiven,
    client,
    command,
    onChange,
    startTimeoutMs: Number(process.env.TRACE_SOCKET_START_TIMEOUT ?? 10_000),
  });
}
