/**
 * Source lines of traced files, for the claims that read the line a call was
 * made from or the line above a function: installed files by absolute path,
 * the project's own relative to its root, each file read once.
 */
import { readFileSync } from "node:fs";
import { isAbsolute, join } from "node:path";
import type { LineReader } from "../trace/claims-spec.js";

/** A line reader over the files a trace names, relative ones under `root`; a file that cannot be read has no lines. */
export function fileLineReader(root: string): LineReader {
  const cache = new Map<string, string[] | undefined>();
  return (file, line) => {
    const path = isAbsolute(file) ? file : join(root, file);
    if (!cache.has(path)) {
      try {
        cache.set(path, readFileSync(path, "utf8").split("\n"));
      } catch {
        cache.set(path, undefined);
      }
    }
    return cache.get(path)?.[line - 1];
  };
}
