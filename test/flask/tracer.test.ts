/**
 * The Python tracer's edges: a missing Python side is a usage error with the
 * install command; an app that raises is reported with its traceback; the
 * tracer's buffer is bounded and what it dropped is counted in the trace.
 */
import { chmodSync, existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { UsageError } from "../../src/cli/errors.js";
import { requirePython } from "../../src/cli/flask-side.js";
import { Runner } from "../../src/scenario/runner.js";
import { pythonRuntime } from "../../src/runtime/python/python-runtime.js";
import { DEFAULT_PYTHON, INSTALL_HINT, probePython } from "../../src/runtime/python/python-env.js";
import { loadScenario, PACKAGE_ROOT, type ScenarioDefinition } from "../../src/trace/scenario.js";
import { countCalls } from "../../src/trace/call-tree.js";
import { python, pythonAvailable, skipReason } from "./helpers.js";

describe("the Python side missing", () => {
  it("is a usage error naming the apt-get command", () => {
    expect(() => requirePython({ TRACE_SOCKET_PYTHON: "/nonexistent/python3" })).toThrow(UsageError);
    expect(() => requirePython({ TRACE_SOCKET_PYTHON: "/nonexistent/python3" })).toThrow(INSTALL_HINT);
  });

  it.skipIf(!existsSync(DEFAULT_PYTHON))("says which module a Python without the packages cannot import", () => {
    // Debian's Python with -S: no site directories, so none of the packages.
    const dir = mkdtempSync(join(tmpdir(), "trace-socket-python-"));
    const bare = join(dir, "python3");
    writeFileSync(bare, `#!/bin/sh\nexec ${DEFAULT_PYTHON} -S "$@"\n`);
    chmodSync(bare, 0o755);
    try {
      const probe = probePython(bare);
      expect(probe.ok).toBe(false);
      if (!probe.ok) expect(probe.reason).toMatch(/cannot import flask \(ModuleNotFoundError/);
      expect(() => requirePython({ TRACE_SOCKET_PYTHON: bare })).toThrow(/apt-get install python3-flask-socketio python3-eventlet/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

const failing: ScenarioDefinition = {
  name: "raises",
  title: "raises in step 2",
  server: join(PACKAGE_ROOT, "test/flask/fixtures/raises-in-step-2.py"),
  steps: [
    { id: "init", title: "init", side: "server", anchor: "SocketIO(app", explanation: "", docs: { options: [], methods: [] }, flask: "" },
    { id: "fail", title: "fail", side: "server", anchor: "raise RuntimeError", explanation: "", docs: { options: [], methods: [] }, flask: "" },
  ],
};

describe.skipIf(!pythonAvailable)(`the tracer${skipReason}`, () => {
  it("reports an app that raises, with its traceback, and keeps what ran before", async () => {
    const runner = await Runner.start({ scenario: failing, projectRoot: PACKAGE_ROOT, command: "test", runtime: pythonRuntime({ python }) });
    try {
      await runner.runNext();
      await expect(runner.runNext()).rejects.toThrow(/boom in step 2/);
    } finally {
      await runner.close();
    }
    expect(runner.failure).toMatch(/RuntimeError: boom in step 2/);
    const trace = runner.trace();
    expect(countCalls(trace.steps[0].calls)).toBeGreaterThan(0);
  });

  it("finds its own modules under PYTHONSAFEPATH, which leaves the script's folder off sys.path", async () => {
    const saved = process.env.PYTHONSAFEPATH;
    process.env.PYTHONSAFEPATH = "1";
    try {
      const runner = await Runner.start({ scenario: loadScenario("chat-flask"), projectRoot: PACKAGE_ROOT, command: "test", runtime: pythonRuntime({ python }) });
      try {
        await runner.runNext();
      } finally {
        await runner.close();
      }
      expect(runner.failure).toBeUndefined();
      expect(countCalls(runner.trace().steps[0].calls)).toBeGreaterThan(0);
    } finally {
      if (saved === undefined) delete process.env.PYTHONSAFEPATH;
      else process.env.PYTHONSAFEPATH = saved;
    }
  });

  it("bounds its buffer and counts what it dropped", async () => {
    const runner = await Runner.start({ scenario: loadScenario("chat-flask"), projectRoot: PACKAGE_ROOT, command: "test", runtime: pythonRuntime({ python, capacity: 4 }) });
    try {
      await runner.runNext(); // init: a burst of ~20 calls between two writes
    } finally {
      await runner.close();
    }
    const trace = runner.trace();
    expect(trace.dropped.calls).toBeGreaterThan(0);
    expect(countCalls(trace.steps[0].calls)).toBeLessThan(20);
  });
});
