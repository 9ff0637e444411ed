/**
 * The on-disk cache: where it lives, atomic writes, and reads that treat a
 * missing or corrupt entry as absent (it is then rebuilt, never trusted).
 */
import { randomBytes } from "node:crypto";
import { mkdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";

/** `TRACE_SOCKET_CACHE` if set, else `<project>/node_modules/.cache/trace-socket`. */
export function defaultCacheDir(projectRoot: string, env: Readonly<Record<string, string | undefined>>): string {
  const fromEnv = env["TRACE_SOCKET_CACHE"];
  if (fromEnv !== undefined && fromEnv.trim() !== "") return resolve(fromEnv);
  return join(resolve(projectRoot), "node_modules", ".cache", "trace-socket");
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
