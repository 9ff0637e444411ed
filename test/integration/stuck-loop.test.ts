/**
 * An app whose event loop is stuck loses nothing from its trace: when the
 * built-in client connects, the stuck-loop fixture runs 300,000 broadcasts, one
 * microtask (one turn) each, all before its event loop moves on, so no IPC
 * write of the traced process completes meanwhile. Its batches back up past the
 * courier's limits and go to the overflow file, and the trace still holds every
 * one of those broadcasts, none counted as dropped. Without the overflow file the
 * same run counted 18,166 calls as dropped (the turns after the backlog filled).
 */
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { startAppRun } from "../../src/scenario/app-start.js";
import { PACKAGE_ROOT } from "../../src/trace/scenario.js";
import { forEachStepCall } from "../../src/trace/turns.js";
import type { Trace } from "../../src/trace/model.js";

const APP = join(PACKAGE_ROOT, "test/fixtures/apps/stuck-loop");
/** The fixture's broadcasts (`server.js`). */
const TICKS = 300_000;

let trace: Trace;
let emits = 0;
let failure: string | undefined;
let overflowed = 0;

beforeAll(async () => {
  const { runner, server } = await startAppRun({
    entry: join(APP, "server.js"),
    args: [],
    appRoot: APP,
    projectRoot: PACKAGE_ROOT,
    hostGiven: false,
    client: { namespace: "/", emits: [] },
    command: "test",
    startIdleMs: 60_000,
  });
  // The batches that went to the overflow file: without any, the channel never backed up, and the test would prove nothing.
  server.child.onMessage((message) => void (message.t === "overflow" && overflowed++));
  try {
    await runner.runAll();
    failure = runner.failure;
    trace = runner.trace();
  } finally {
    await runner.close();
  }
  const emit = new Set(trace.functions.filter((f) => f.name === "BroadcastOperator.emit").map((f) => f.id));
  for (const step of trace.steps) forEachStepCall(step, (_seq, fn) => void (emit.has(fn) && emits++));
}, 300_000);

describe("a traced app whose event loop is stuck", () => {
  it("keeps every call: each broadcast is in the trace, and nothing is counted as dropped", () => {
    expect(failure).toBeUndefined();
    expect(overflowed).toBeGreaterThan(0);
    expect(trace.dropped.calls).toBe(0);
    expect(emits).toBe(TICKS);
  });
});
