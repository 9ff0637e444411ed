/**
 * The stepper builds the source index's cache in a worker thread: after the
 * warm-up, every installed family package is cached, and opening the index in
 * this thread loads no ts-morph.
 */
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { PACKAGE_ROOT } from "../../src/trace/scenario.js";
import type * as WarmModule from "../../src/source/warm.js";
import { findInstalledFamily } from "../../src/source/package-locate.js";
import { openSourceIndex, tsMorphLoaded } from "../../src/source/index.js";

const cache = mkdtempSync(join(tmpdir(), "trace-socket-warm-"));
afterAll(() => rmSync(cache, { recursive: true, force: true }));

describe("warmSourceIndex", () => {
  it("caches every family package off the main thread", async () => {
    const saved = process.env.TRACE_SOCKET_CACHE;
    process.env.TRACE_SOCKET_CACHE = cache;
    try {
      // The built module: its worker entry exists only as JavaScript.
      const { warmSourceIndex } = (await import(join(PACKAGE_ROOT, "dist/source/warm.js"))) as typeof WarmModule;
      await warmSourceIndex(PACKAGE_ROOT, true);
    } finally {
      if (saved === undefined) delete process.env.TRACE_SOCKET_CACHE;
      else process.env.TRACE_SOCKET_CACHE = saved;
    }
    const family = await findInstalledFamily(PACKAGE_ROOT);
    const cached = readdirSync(join(cache, "index"));
    // A scoped name keeps its scope in the file name, the slash turned into "+".
    for (const pkg of family) expect(cached).toContain(`${pkg.name.replace("/", "+")}@${pkg.version}.v1.json`);
    const index = await openSourceIndex(PACKAGE_ROOT, { offline: true, cacheDir: cache });
    for (const pkg of family) expect((await index.functionsIn(`${pkg.dir}/package.json`))).toBeDefined();
    expect(index.stats().indexBuilds).toBe(0);
    expect(index.stats().indexCacheHits).toBe(family.length);
    expect(tsMorphLoaded()).toBe(false);
  });
});
