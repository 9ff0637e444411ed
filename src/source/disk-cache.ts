/**
 * The on-disk cache: where it lives, atomic writes, and reads that treat a
 * missing or corrupt entry as absent (it is then rebuilt, never trusted).
 */
import { randomBytes } from "node:crypto";
import { accessSync, constants, existsSync, statSync } from "node:fs";
import { mkdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { homedir } from "node:os";
import { dirname, isAbsolute, join, resolve } from "node:path";

function isWritableFolder(dir: string): boolean {
  try {
    accessSync(dir, constants.W_OK);
    return statSync(dir).isDirectory();
  } catch {
    return false;
  }
}

/** The nearest folder from `cwd` up with both a package.json and a `node_modules` (a workspace's root when the package has none). */
function projectWithNodeModules(cwd: string): string | undefined {
  for (let dir = resolve(cwd); ; dir = dirname(dir)) {
    if (existsSync(join(dir, "package.json")) && existsSync(join(dir, "node_modules"))) return dir;
    if (dirname(dir) === dir) return undefined;
  }
}

/**
 * Where the cache lives: `TRACE_SOCKET_CACHE` if set; else, as find-cache-dir
 * finds it, `node_modules/.cache/trace-socket` of the user's project (the
 * nearest folder from `cwd` up with a package.json and a `node_modules`, which
 * must be writable); else the user's cache folder,
 * `$XDG_CACHE_HOME/trace-socket` or `~/.cache/trace-socket`. Found from the
 * working directory, not from trace-socket's own folder: installed, that is a
 * package npm replaces on every update.
 */
export function defaultCacheDir(env: Readonly<Record<string, string | undefined>> = process.env, cwd: string = process.cwd()): string {
  const fromEnv = env["TRACE_SOCKET_CACHE"];
  if (fromEnv !== undefined && fromEnv.trim() !== "") return resolve(fromEnv);
  const project = projectWithNodeModules(cwd);
  if (project !== undefined && isWritableFolder(join(project, "node_modules"))) return join(project, "node_modules", ".cache", "trace-socket");
  const xdg = env["XDG_CACHE_HOME"];
  const base = xdg !== undefined && isAbsolute(xdg) ? xdg : join(env["HOME"] || homedir(), ".cache");
  return join(base, "trace-socket");
}

/** Reads a cached text file; undefined when absent or unreadable. */
export async function readCachedText(file: string): Promise<string | undefined> {
  try {
    return await readFile(file, "utf8");
  } catch {
    return undefined;
  }
}

/** Reads and checks a cached JSON file; undefined when absent, unparsable or of the wrong shape. */
export async function readCachedJson<T>(file: string, isValid: (value: unknown) => value is T): Promise<T | undefined> {
  const text = await readCachedText(file);
  if (text === undefined) return undefined;
  try {
    const value: unknown = JSON.parse(text);
    return isValid(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Writes via a temporary file and a rename, so a reader (or a concurrent run)
 * sees the old entry or the new one, never half of one. Returns false instead of
 * throwing: a read-only cache slows the next run down but must not break this one.
 */
export async function writeAtomic(file: string, data: string): Promise<boolean> {
  const temp = `${file}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`;
  try {
    await mkdir(dirname(file), { recursive: true });
    await writeFile(temp, data);
    await rename(temp, file);
    return true;
  } catch {
    await rm(temp, { force: true }).catch(() => undefined);
    return false;
  }
}
