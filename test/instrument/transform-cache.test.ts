import { afterEach, describe, expect, it } from "vitest";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { MAX_ENTRIES, TransformCache } from "../../src/instrument/transform-cache.js";
import { transformSource, type TransformOptions } from "../../src/instrument/transform.js";

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function cacheRoot(): string {
  const dir = mkdtempSync(join(tmpdir(), "ts-transform-cache-"));
  dirs.push(dir);
  return dir;
}

function entries(root: string): string[] {
  const [version] = readdirSync(join(root, "transforms"));
  return readdirSync(join(root, "transforms", version)).map((name) => join(root, "transforms", version, name));
}

// A real family file: what the cache holds in practice.
const file = join(createRequire(import.meta.url).resolve("socket.io"), "..", "namespace.js");
const source = readFileSync(file, "utf8");
const options: TransformOptions = { sourceType: "script", idBase: 100, moduleName: "namespace.js" };

describe("TransformCache", () => {
  it("returns exactly what the transform returns, from disk on the second run", () => {
    const root = cacheRoot();
    const fresh = transformSource(source, options);
    let calls = 0;
    const transform = () => {
      calls++;
      return transformSource(source, options);
    };
    expect(TransformCache.open(root).through(source, options, transform)).toEqual(fresh);
    expect(TransformCache.open(root).through(source, options, transform)).toEqual(fresh);
    expect(calls).toBe(1);
    expect(entries(root)).toHaveLength(1);
  });

  it("keys on the id base and the content, since ids are literals in the code", () => {
    const root = cacheRoot();
    const cache = TransformCache.open(root);
    const a = cache.through(source, options, () => transformSource(source, options));
    const moved = { ...options, idBase: 200 };
    const b = cache.through(source, moved, () => transformSource(source, moved));
    expect(b.code).not.toBe(a.code);
    expect(b.code).toBe(transformSource(source, moved).code);
    const edited = `${source}\nfunction extra() {}\n`;
    expect(cache.through(edited, options, () => transformSource(edited, options)).functions.length).toBe(a.functions.length + 1);
    expect(entries(root)).toHaveLength(3);
  });

  it("treats a corrupt entry as a miss and rewrites it", () => {
    const root = cacheRoot();
    TransformCache.open(root).through(source, options, () => transformSource(source, options));
    const [entry] = entries(root);
    writeFileSync(entry, '{"code": 1');
    let calls = 0;
    const result = TransformCache.open(root).through(source, options, () => {
      calls++;
      return transformSource(source, options);
    });
    expect(calls).toBe(1);
    expect(result.code).toBe(transformSource(source, options).code);
    expect(JSON.parse(readFileSync(entry, "utf8")).code).toBe(result.code);
  });

  it("does not store a file that could not be parsed, and still works when the cache cannot be written", () => {
    const root = cacheRoot();
    const broken = "function (";
    expect(TransformCache.open(root).through(broken, options, () => transformSource(broken, options)).error).toBeDefined();
    const blocked = join(root, "file-not-dir");
    writeFileSync(blocked, "");
    const result = TransformCache.open(blocked).through(source, options, () => transformSource(source, options));
    expect(result.functions.length).toBeGreaterThan(5);
  });
});

describe("TransformCache pruning", () => {
  it("drops entries of other transformer versions, and starts afresh past MAX_ENTRIES", () => {
    const root = cacheRoot();
    TransformCache.open(root).through(source, options, () => transformSource(source, options));
    const [entry] = entries(root);
    const current = join(entry, "..");
    const stale = join(root, "transforms", "0000000000000000");
    mkdirSync(stale, { recursive: true });
    writeFileSync(join(stale, "old.json"), "{}");
    TransformCache.open(root);
    expect(existsSync(stale)).toBe(false);
    expect(existsSync(entry)).toBe(true);
    for (let i = 0; i < MAX_ENTRIES; i++) writeFileSync(join(current, `filler-${i}.json`), "{}");
    TransformCache.open(root);
    expect(existsSync(current)).toBe(false);
    let calls = 0;
    TransformCache.open(root).through(source, options, () => {
      calls++;
      return transformSource(source, options);
    });
    expect(calls).toBe(1);
  });
});
