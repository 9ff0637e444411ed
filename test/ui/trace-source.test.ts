import { afterEach, describe, expect, it, vi } from "vitest";
import type { Trace } from "../../src/trace/model.js";
import { LiveSource, type LiveRunner } from "../../src/ui/live-source.js";
import { ReplaySource } from "../../src/ui/trace-source.js";
import { fixtureTrace } from "../helpers/trace-fixture.js";

describe("ReplaySource", () => {
  it("reveals one recorded step per stepForward and nothing past the end", async () => {
    const source = new ReplaySource(fixtureTrace());
    const seen: number[] = [];
    source.subscribe(() => seen.push(source.snapshot().steps.length));
    expect(source.plan.map((s) => s.id)).toEqual(["init", "connect", "message"]);
    expect(source.snapshot().steps).toHaveLength(1);
    expect(source.snapshot()).toBe(source.snapshot());
    await source.stepForward();
    await source.stepForward();
    expect(source.canStep).toBe(false);
    await source.stepForward();
    expect(seen).toEqual([2, 3]);
  });
});

/** A runner stand-in: records a step per runNext, optionally failing. */
function fakeRunner(trace: Trace, options: { fail?: string } = {}): LiveRunner & { calls: number; failure?: string } {
  const runner = {
    stepCount: trace.steps.length,
    nextStep: 0,
    calls: 0,
    failure: undefined as string | undefined,
    trace(): Trace {
      runner.calls++;
      return { ...trace, steps: trace.steps.slice(0, runner.nextStep) };
    },
    async runNext(): Promise<void> {
      await Promise.resolve();
      if (options.fail) throw new Error(options.fail);
      runner.nextStep++;
    },
  };
  return runner;
}

describe("LiveSource", () => {
  afterEach(() => vi.useRealTimers());

  it("says it is starting until a runner is attached", () => {
    const source = new LiveSource({ plan: [{ id: "init", title: "init" }], scenario: "chat" });
    expect(source.status).toMatch(/starting/);
    expect(source.snapshot().steps).toEqual([]);
    source.attach(fakeRunner(fixtureTrace()));
    expect(source.status).toBeUndefined();
    expect(source.canStep).toBe(true);
  });

  it("runs one step at a time, busy meanwhile", async () => {
    const source = new LiveSource({ plan: [], scenario: "chat" });
    const runner = fakeRunner(fixtureTrace());
    let running = 0;
    let most = 0;
    const runNext = runner.runNext;
    runner.runNext = async () => {
      most = Math.max(most, ++running);
      await runNext();
      running--;
    };
    source.attach(runner);
    const first = source.stepForward();
    expect(source.busy).toBe(true);
    const second = source.stepForward();
    await Promise.all([first, second]);
    expect(source.busy).toBe(false);
    expect(runner.nextStep).toBe(2);
    expect(most).toBe(1);
    expect(source.snapshot().steps).toHaveLength(2);
  });

  it("keeps a failed step's error instead of rejecting", async () => {
    const source = new LiveSource({ plan: [], scenario: "chat" });
    source.attach(fakeRunner(fixtureTrace(), { fail: "the client process exited (code 1)" }));
    await source.stepForward();
    expect(source.error).toBe("the client process exited (code 1)");
    expect(source.busy).toBe(false);
  });

  it("reports the runner's failure and a failed start", () => {
    const source = new LiveSource({ plan: [], scenario: "chat" });
    const runner = fakeRunner(fixtureTrace());
    source.attach(runner);
    runner.failure = "the traced server exited unexpectedly (code 1)";
    expect(source.failure).toMatch(/exited unexpectedly/);
    expect(source.canStep).toBe(false);
    const never = new LiveSource({ plan: [], scenario: "chat" });
    never.fail("could not start");
    expect(never.failure).toBe("could not start");
    expect(never.status).toBeUndefined();
  });

  it("turns a burst of changes into at most one notification per interval, and builds snapshots lazily", () => {
    vi.useFakeTimers();
    const source = new LiveSource({ plan: [], scenario: "chat", intervalMs: 100 });
    const runner = fakeRunner(fixtureTrace());
    source.attach(runner);
    let notified = 0;
    source.subscribe(() => notified++);
    for (let i = 0; i < 50; i++) source.changed();
    expect(notified).toBe(0);
    vi.advanceTimersByTime(100);
    expect(notified).toBe(1);
    source.snapshot();
    source.snapshot();
    expect(runner.calls).toBe(1);
    for (let i = 0; i < 50; i++) {
      source.changed();
      vi.advanceTimersByTime(10);
    }
    expect(notified).toBeLessThanOrEqual(7);
    expect(notified).toBeGreaterThanOrEqual(5);
    source.dispose();
  });

  it("adds this process's own diagnostics to the log", () => {
    const source = new LiveSource({ plan: [], scenario: "chat" });
    source.attach(fakeRunner(fixtureTrace()));
    source.note("trace-socket:ui first paint 300 ms");
    expect(source.snapshot().logs.at(-1)).toMatchObject({ source: "debug", text: "trace-socket:ui first paint 300 ms" });
  });
});

describe("LiveSource queueing", () => {
  it("runs steps asked for during a running step right after it, up to the last step", async () => {
    const source = new LiveSource({ plan: [], scenario: "chat" });
    const runner = fakeRunner(fixtureTrace());
    source.attach(runner);
    const first = source.stepForward();
    void source.stepForward();
    void source.stepForward();
    void source.stepForward();
    expect(source.queued).toBe(2);
    await first;
    expect(runner.nextStep).toBe(3);
    expect(source).toMatchObject({ busy: false, queued: 0 });
  });
});

describe("LiveSource before the runner is up", () => {
  it("keeps steps asked for and runs them once attached", async () => {
    const source = new LiveSource({ plan: [{ id: "a", title: "a" }, { id: "b", title: "b" }], scenario: "chat" });
    expect(source.canStep).toBe(true);
    await source.stepForward();
    await source.stepForward();
    await source.stepForward();
    expect(source.queued).toBe(2);
    const runner = fakeRunner({ ...fixtureTrace(), steps: fixtureTrace().steps.slice(0, 2) });
    source.attach(runner);
    await vi.waitFor(() => expect(runner.nextStep).toBe(2));
    await vi.waitFor(() => expect(source.busy).toBe(false));
  });
});

describe("LiveSource notes", () => {
  it("shows a note without rebuilding the runner's trace", () => {
    const source = new LiveSource({ plan: [], scenario: "chat" });
    const runner = fakeRunner(fixtureTrace());
    source.attach(runner);
    source.snapshot();
    const builds = runner.calls;
    source.note("one");
    source.note("two");
    expect(source.snapshot().logs.slice(-2).map((l) => l.text)).toEqual(["one", "two"]);
    expect(runner.calls).toBe(builds);
    source.dispose();
  });
});
