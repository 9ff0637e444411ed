/**
 * A cache folder shared by the test files of one code version, so the
 * installed packages are parsed once per change of `src/source`, not once per
 * test file. Tests of cold behaviour make their own empty folders instead.
 */
import { createHash } from "node:crypto";
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PROJECT_ROOT } from "./paths.js";

/** Keyed by a hash of the index's sources: a code change never reads an older entry. */
export function sharedCacheDir(): string {
  const dir = join(PROJECT_ROOT, "src", "source");
  const hash = createHash("sha256");
  for (const name of readdirSync(dir).sort()) {
    if (name.endsWith(".ts")) hash.update(name).update(readFileSync(join(dir, name)));
  }
  return join(tmpdir(), "trace-socket-source-tests", hash.digest("hex").slice(0, 16));
}

const made: string[] = [];

/** A fresh, empty folder under the OS temp dir, removed by `removeTemporaryDirs`. */
export function temporaryDir(prefix = "trace-socket-cache-"): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  made.push(dir);
  return dir;
}

/** A fresh, empty cache folder. */
export function emptyCacheDir(): string {
  return temporaryDir();
}

/** Removes the folders this test file made (symbolic links inside are removed, not followed). */
export function removeTemporaryDirs(): void {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
}

/**
 * A fresh folder holding a copy of the shared package indexes but no upstream
 * files: each test sees its own upstream answers without re-parsing packages.
 */
export function seededCacheDir(): string {
  const dir = emptyCacheDir();
  const shared = join(sharedCacheDir(), "index");
  if (existsSync(shared)) cpSync(shared, join(dir, "index"), { recursive: true });
  return dir;
}
