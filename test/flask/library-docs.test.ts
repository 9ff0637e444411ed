/**
 * Reading the docstrings: the helper's answer checked before it is trusted,
 * the on-disk cache keyed by the installed versions, and no exception when
 * Python is missing. A shell script stands in for Python here; the real
 * helper runs in `library-docs-python.test.ts`.
 */
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { isLibraryDocs, loadFlaskLibraryDocs, parseLibraryDocs } from "../../src/runtime/python/library-docs.js";
import { sampleDocs } from "./docs-fixture.js";

const dir = mkdtempSync(join(tmpdir(), "trace-socket-docs-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A stand-in interpreter: counts its runs and prints `answer`. */
function fakePython(name: string, answer: string): { readonly path: string; readonly runs: () => number } {
  const path = join(dir, name);
  const counter = join(dir, `${name}.runs`);
  writeFileSync(counter, "");
  writeFileSync(path, `#!/bin/sh\ncat > /dev/null\necho x >> '${counter}'\ncat <<'EOF'\n${answer}\nEOF\n`);
  chmodSync(path, 0o755);
  return { path, runs: () => readFileSync(counter, "utf8").split("\n").filter(Boolean).length };
}

const answer = JSON.stringify({ schema: 1, ...sampleDocs() });
const versions = { flask_socketio: "5.3.2", socketio: "5.7.2", engineio: "4.3.4", python: "3.11.2" };

describe("parseLibraryDocs", () => {
  it("accepts the helper's answer", () => {
    const docs = parseLibraryDocs(answer);
    expect(docs.reason).toBeUndefined();
    expect(docs.packages.engineio.version).toBe("4.3.4");
    expect(isLibraryDocs(docs)).toBe(true);
  });

  it("turns anything else into empty docs with a reason", () => {
    expect(parseLibraryDocs("Traceback (most recent call last)").reason).toMatch(/not JSON/);
    expect(parseLibraryDocs(JSON.stringify({ schema: 2 })).reason).toMatch(/unknown schema/);
    const bad = { schema: 1, packages: {}, names: { "socketio.Server.on": { ok: true, pkg: "socketio", line: "12" } } };
    expect(parseLibraryDocs(JSON.stringify(bad))).toEqual({ packages: {}, names: {}, reason: "the docstring helper's answer has an unexpected shape" });
  });
});

describe("loadFlaskLibraryDocs", () => {
  it("runs the helper once, then reads the cache for the same versions", async () => {
    const python = fakePython("python-cached", answer);
    const cacheDir = join(dir, "cache");
    const first = await loadFlaskLibraryDocs({ python: python.path, versions, cacheDir });
    expect(first.names["engineio.Server.__init__"]).toMatchObject({ ok: true, line: 93 });
    const second = await loadFlaskLibraryDocs({ python: python.path, versions, cacheDir });
    expect(second).toEqual(first);
    expect(python.runs()).toBe(1);
    // Another installed version is another entry.
    await loadFlaskLibraryDocs({ python: python.path, versions: { ...versions, engineio: "4.3.5" }, cacheDir });
    expect(python.runs()).toBe(2);
  });

  it("caches nothing without versions, nor a failed answer", async () => {
    const python = fakePython("python-broken", "not json");
    const cacheDir = join(dir, "cache-broken");
    expect((await loadFlaskLibraryDocs({ python: python.path, versions, cacheDir })).reason).toMatch(/not JSON/);
    await loadFlaskLibraryDocs({ python: python.path, versions, cacheDir });
    expect(python.runs()).toBe(2);
  });

  it("never throws: a missing interpreter is empty docs with the reason", async () => {
    const docs = await loadFlaskLibraryDocs({ python: join(dir, "no-such-python"), cacheDir: null });
    expect(docs.names).toEqual({});
    expect(docs.reason).toMatch(/could not be run \(ENOENT\)/);
  });
});
