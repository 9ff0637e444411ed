/**
 * Keeps instrumented family files on disk between runs, so a traced process
 * does not parse and rewrite socket.io, engine.io, ws… (about 70 files, a
 * quarter of a second) every time it starts.
 *
 * An entry is the transform's exact output for one input: the key hashes the
 * file's content and every transform option (function ids are literals in the
 * code, so the id base is part of the key), and entries live in a directory
 * named after a hash of the transformer's own code, so a changed transformer
 * never reads an old entry. A missing, unreadable or malformed entry is a miss;
 * a cache that cannot be written only makes the next run slower.
 */
import { createHash, randomBytes } from "node:crypto";
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { TransformOptions, TransformResult } from "./transform.js";

/** The transformer's modules: a change to any of them is a new cache. */
const TRANSFORMER_MODULES = ["transform", "naming", "insertions", "step-points"];

function transformerHash(): string {
  // Beside this module, built (.js) or, under the test runner, as source (.ts).
  const extension = /\.ts$/.test(import.meta.url) ? "ts" : "js";
  const hash = createHash("sha1");
  for (const name of TRANSFORMER_MODULES) hash.update(readFileSync(fileURLToPath(new URL(`./${name}.${extension}`, import.meta.url))));
  return hash.digest("hex").slice(0, 16);
}

function isResult(value: unknown): value is TransformResult {
  const v = value as Partial<TransformResult> | null;
  return typeof v === "object" && v !== null && typeof v.code === "string" && Array.isArray(v.functions) && v.error === undefined;
}

/** Entries kept before the cache starts afresh: about 70 per traced family version, plus the apps' files. */
export const MAX_ENTRIES = 4000;

function prune(parent: string, current: string): void {
  try {
    for (const name of readdirSync(parent)) {
      const dir = join(parent, name);
      if (dir !== current || readdirSync(dir).length > MAX_ENTRIES) rmSync(dir, { recursive: true, force: true });
    }
  } catch {
    // Nothing cached yet, or not ours to clean: the cache still works.
  }
}

/** Transform results on disk, by input. */
export class TransformCache {
  private constructor(private readonly dir: string | undefined) {}

  /**
   * A cache under `root` (the trace-socket cache directory); none if the
   * transformer cannot be hashed. Opening prunes: entries of other transformer
   * versions can never be read again, and a directory past `MAX_ENTRIES` (an
   * app edited and traced many times leaves one entry per version of each
   * file) is emptied, to be refilled by the runs that follow.
   */
  static open(root: string): TransformCache {
    let dir: string;
    try {
      dir = join(root, "transforms", transformerHash());
    } catch {
      return new TransformCache(undefined);
    }
    prune(join(root, "transforms"), dir);
    return new TransformCache(dir);
  }

  /** The cached result for this input, or computes it with `transform` and stores it. */
  through(source: string, options: TransformOptions, transform: () => TransformResult): TransformResult {
    if (!this.dir) return transform();
    const file = join(this.dir, `${createHash("sha1").update(JSON.stringify(options)).update("\0").update(source).digest("hex")}.json`);
    try {
      const cached: unknown = JSON.parse(readFileSync(file, "utf8"));
      if (isResult(cached)) return cached;
    } catch {
      // A miss.
    }
    const result = transform();
    if (!result.error) this.store(file, result);
    return result;
  }

  private store(file: string, result: TransformResult): void {
    // Temp file and rename: a concurrent run reads the old entry or the new one, never half of one.
    const temp = `${file}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`;
    try {
      mkdirSync(this.dir!, { recursive: true });
      writeFileSync(temp, JSON.stringify(result));
      renameSync(temp, file);
    } catch {
      try {
        rmSync(temp, { force: true });
      } catch {
        // The directory itself is not there (or not one): nothing was written.
      }
    }
  }
}
