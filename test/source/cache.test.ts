import { execFile } from "node:child_process";
import { cpSync, existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { appendFile } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openSourceIndex } from "../../src/source/index.js";
import { indexCacheFile } from "../../src/source/package-index.js";
import { INDEX_FORMAT } from "../../src/source/types.js";
import type { FunctionInfo } from "../../src/trace/model.js";
import { installedVersion, traceNode } from "./helpers/function-info.js";
import { PROJECT_ROOT } from "./helpers/paths.js";
import { emptyCacheDir, removeTemporaryDirs } from "./helpers/shared-cache.js";
import { transpileSourceIndex } from "./helpers/transpile.js";

const run = promisify(execFile);
const CORS_JS = "node_modules/cors/lib/index.js";
const PARSER_JS = "node_modules/socket.io-parser/build/cjs/index.js";

/** Opens the cached index in a fresh `node`, describes the nodes, reports what was loaded. */
const CHILD = `
import { createRequire } from "node:module";
const started = performance.now();
if (process.env.LOAD_TS_MORPH) await import("ts-morph");
const { openSourceIndex } = await import("./source/index.js");
const index = await openSourceIndex(process.env.ROOT, { cacheDir: process.env.CACHE, offline: true });
const views = await Promise.all(JSON.parse(process.env.NODES).map((fn) => index.describe(fn)));
const loaded = Object.keys(createRequire(import.meta.url).cache).filter((p) => /[\\\\/](ts-morph|@ts-morph[\\\\/]common|typescript)[\\\\/]/.test(p));
console.log(JSON.stringify({ ms: performance.now() - started, stats: index.stats(), loaded, names: views.map((v) => v.indexed?.name) }));
`;

afterAll(removeTemporaryDirs);

let nodes: FunctionInfo[];
let cacheDir: string;

beforeAll(async () => {
  cacheDir = emptyCacheDir();
  const cold = await openSourceIndex(PROJECT_ROOT, { cacheDir, offline: true });
  nodes = [
    await traceNode(cold, "cors", CORS_JS, "configureOrigin"),
    await traceNode(cold, "cors", CORS_JS, "<anonymous originCallback callback in corsMiddleware in middlewareWrapper>"),
    await traceNode(cold, "socket.io-parser", PARSER_JS, "Decoder.add"),
  ];
  expect(cold.stats()).toMatchObject({ indexBuilds: 2, indexCacheHits: 0, tsMorphLoaded: true });
});

describe("index cache", () => {
  it("is keyed by package name, version and index format", () => {
    const file = indexCacheFile(cacheDir, "cors", installedVersion("node_modules/cors"));
    expect(file.endsWith(`cors@${installedVersion("node_modules/cors")}.v${INDEX_FORMAT}.json`)).toBe(true);
    expect(existsSync(file)).toBe(true);
    expect(readdirSync(join(cacheDir, "index")).filter((n) => n.endsWith(".tmp"))).toEqual([]);
  });

  it("is reused by the next run, which gives the same answers", async () => {
    const first = await openSourceIndex(PROJECT_ROOT, { cacheDir, offline: true });
    const second = await openSourceIndex(PROJECT_ROOT, { cacheDir, offline: true });
    const a = await Promise.all(nodes.map((fn) => first.describe(fn)));
    const b = await Promise.all(nodes.map((fn) => second.describe(fn)));
    expect(b).toEqual(a);
    expect(second.stats()).toMatchObject({ indexBuilds: 0, indexCacheHits: 2 });
  });

  it("never loads ts-morph on a cached run (a fresh node process proves it)", async () => {
    const out = transpileSourceIndex();
    writeFileSync(join(out, "child.mjs"), CHILD);
    const env = { ...process.env, ROOT: PROJECT_ROOT, CACHE: cacheDir, NODES: JSON.stringify(nodes) };
    const warm = JSON.parse((await run(process.execPath, [join(out, "child.mjs")], { env })).stdout);
    expect(warm.stats).toMatchObject({ indexBuilds: 0, indexCacheHits: 2, tsMorphLoaded: false });
    expect(warm.loaded).toEqual([]);
    expect(warm.names).toEqual(nodes.map((n) => n.name));

    // The same probe does see ts-morph when it is loaded: the check above can fail.
    const control = JSON.parse(
      (await run(process.execPath, [join(out, "child.mjs")], { env: { ...env, LOAD_TS_MORPH: "1" } })).stdout,
    );
    expect(control.loaded.length).toBeGreaterThan(0);
  });

  it("ignores and rebuilds a corrupt or foreign entry", async () => {
    const file = indexCacheFile(cacheDir, "cors", installedVersion("node_modules/cors"));
    for (const garbage of ['{"format":', JSON.stringify({ format: INDEX_FORMAT, name: "cors", version: "x" }), "[]"]) {
      writeFileSync(file, garbage);
      const index = await openSourceIndex(PROJECT_ROOT, { cacheDir, offline: true });
      const view = await index.describe(nodes[0]!);
      expect(view.indexed?.name).toBe("configureOrigin");
      expect(index.stats().indexBuilds).toBe(1);
      expect(JSON.parse(readFileSync(file, "utf8"))).toMatchObject({ format: INDEX_FORMAT, name: "cors" });
    }
  });

  it("rebuilds when an installed file changed (a patched package)", async () => {
    const project = emptyCacheDir();
    cpSync(join(PROJECT_ROOT, "node_modules", "cors"), join(project, "node_modules", "cors"), { recursive: true });
    const ownCache = join(project, "cache");
    const fn = { ...nodes[0]!, file: CORS_JS };
    const before = await openSourceIndex(project, { cacheDir: ownCache, offline: true });
    expect((await before.describe(fn)).indexed?.name).toBe("configureOrigin");
    await appendFile(join(project, CORS_JS), "\n// patched\n");
    const after = await openSourceIndex(project, { cacheDir: ownCache, offline: true });
    expect((await after.describe(fn)).indexed?.name).toBe("configureOrigin");
    expect(after.stats()).toMatchObject({ indexBuilds: 1, indexCacheHits: 0 });
  });

  it("lives in TRACE_SOCKET_CACHE, else under the project's node_modules/.cache", async () => {
    const fromEnv = await openSourceIndex(PROJECT_ROOT, { env: { TRACE_SOCKET_CACHE: cacheDir }, offline: true });
    expect(fromEnv.cacheDir).toBe(cacheDir);
    const byDefault = await openSourceIndex(PROJECT_ROOT, { env: {}, offline: true });
    expect(byDefault.cacheDir).toBe(join(PROJECT_ROOT, "node_modules", ".cache", "trace-socket"));
  });
});
