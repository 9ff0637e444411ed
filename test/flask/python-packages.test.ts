/**
 * The traced Python packages are listed once, in TypeScript (`PYTHON_FAMILY`,
 * and `PYTHON_DISTRIBUTIONS` for the distribution that installs each): the
 * Python side is handed the map (the tracer in its configuration, the
 * docstring helper in its request) and keeps no list of its own, so adding a
 * package is one edit that the type checker follows.
 */
import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { DOCS_HELPER } from "../../src/runtime/python/library-docs.js";
import { PYTHON_DISTRIBUTIONS, pythonPath } from "../../src/runtime/python/python-env.js";
import { PYTHON_FAMILY } from "../../src/trace/model.js";
import { PACKAGE_ROOT } from "../../src/trace/scenario.js";

const PYTHON_DIR = join(PACKAGE_ROOT, "src/runtime/python");

describe("the traced Python packages", () => {
  it("have a distribution each, and only they", () => {
    expect(Object.keys(PYTHON_DISTRIBUTIONS).sort()).toEqual([...PYTHON_FAMILY].sort());
  });

  it("are named by no .py file of the Python side (it is handed them)", () => {
    const files = readdirSync(PYTHON_DIR).filter((f) => f.endsWith(".py"));
    expect(files.length).toBeGreaterThan(3);
    const naming = files.flatMap((f) => {
      const text = readFileSync(join(PYTHON_DIR, f), "utf8");
      return Object.values(PYTHON_DISTRIBUTIONS)
        .filter((dist) => dist !== "eventlet" && text.includes(`"${dist}"`))
        .map((dist) => `${f}: ${dist}`);
    });
    expect(naming).toEqual([]);
  });

  it("the docstring helper describes what its request lists as traced, and nothing else", () => {
    // Standard library only: any python3 runs it, with the packages the request gives.
    const run = (packages: unknown) =>
      spawnSync(pythonPath(), ["-X", "utf8", DOCS_HELPER], { input: JSON.stringify({ names: ["json.dumps", "socketio.Server.on"], packages }), encoding: "utf8", env: { ...process.env, PYTHONDONTWRITEBYTECODE: "1" } });
    const answer = JSON.parse(run({ json: "no-such-distribution" }).stdout) as { names: Record<string, { ok: boolean; file?: string; reason?: string }> };
    expect(answer.names["json.dumps"]).toMatchObject({ ok: true, file: "json/__init__.py" });
    expect(answer.names["socketio.Server.on"]).toMatchObject({ ok: false, reason: expect.stringContaining("not one of the traced packages (json)") });
    const refused = run(undefined);
    expect(refused.status).not.toBe(0);
    expect(refused.stderr).toContain("the request names no traced packages");
  });
});
