import { describe, expect, it } from "vitest";
import { asRunError, exitCodeFor } from "../../src/cli/boundary.js";
import { RunStop, runSteps, startRunners, type StepRunner } from "../../src/cli/step-loop.js";
import { RunError, UsageError } from "../../src/cli/errors.js";
import { ChildExitedError, StepFailure } from "../../src/runtime/child.js";
import type { Trace } from "../../src/trace/model.js";

describe("asRunError", () => {
  it("makes the app's, the client's and the children's failures one-line RunErrors, and leaves bugs alone", () => {
    expect(asRunError(new StepFailure("the client failed: boom"))).toEqual(new RunError("the client failed: boom"));
    expect(asRunError(new ChildExitedError("client", 1, null))).toBeInstanceOf(RunError);
    const usage = new UsageError("bad flag");
    expect(asRunError(usage)).toBe(usage);
    const bug = new TypeError("x is undefined");
    expect(asRunError(bug)).toBe(bug);
  });
});

describe("exitCodeFor", () => {
  function report(error: unknown): [number, string] {
    let text = "";
    const code = exitCodeFor(error, { write: (t: string) => (text += t) });
    return [code, text];
  }

  it("is 2 with one line for usage, 1 with one line for a failed run, 1 with the stack for a bug", () => {
    expect(report(new UsageError("bad flag"))).toEqual([2, "trace-socket: bad flag\n"]);
    expect(report(new StepFailure("the client failed: boom"))).toEqual([1, "trace-socket: the client failed: boom\n"]);
    const [code, text] = report(new TypeError("x is undefined"));
    expect(code).toBe(1);
    expect(text).toMatch(/^trace-socket: unexpected error: TypeError: x is undefined\n {4}at /);
  });
});

/** A runner of `steps` steps whose step `failAt` throws; records what ran and whether it was closed. */
function fakeRunner(steps: number, failAt = -1, failure?: string): StepRunner & { ran: number[]; closed: boolean } {
  return {
    nextStep: 0,
    stepCount: steps,
    failure,
    ran: [],
    closed: false,
    async runNext() {
      if (this.nextStep === failAt) throw new StepFailure(`step ${failAt + 1} failed`);
      this.ran.push(this.nextStep);
      (this as { nextStep: number }).nextStep++;
    },
    async close() {
      this.closed = true;
    },
    trace: () => ({}) as Trace,
  };
}

/** A runner whose second step never ends until it is closed, as a step waiting on a child process. */
function hangingRunner(): StepRunner & { closed: boolean; started: Promise<void> } {
  let release!: (error: Error) => void;
  let began!: () => void;
  const started = new Promise<void>((resolve) => (began = resolve));
  return {
    nextStep: 0,
    stepCount: 3,
    closed: false,
    started,
    async runNext() {
      if (this.nextStep === 0) {
        (this as { nextStep: number }).nextStep++;
        return;
      }
      began();
      await new Promise<void>((_, reject) => (release = reject));
    },
    async close() {
      this.closed = true;
      release?.(new StepFailure("the traced server exited"));
    },
    trace: () => ({}) as Trace,
  };
}

describe("runSteps", () => {
  it("runs every step of every runner and closes them", async () => {
    const runners = [fakeRunner(3), fakeRunner(2)];
    const stop = new RunStop();
    try {
      await expect(runSteps(runners, stop)).resolves.toBeUndefined();
    } finally {
      stop.dispose();
    }
    expect(runners.map((r) => [r.ran, r.closed])).toEqual([[[0, 1, 2], true], [[0, 1], true]]);
  });

  it("closes every runner when one fails, and reports the failure as a RunError", async () => {
    const runners = [fakeRunner(3, 1), fakeRunner(2)];
    const stop = new RunStop();
    await expect(runSteps(runners, stop)).rejects.toEqual(new RunError("step 2 failed"));
    stop.dispose();
    expect(runners.every((r) => r.closed)).toBe(true);
  });

  it("prefers the traced app's own failure to the step's", async () => {
    const stop = new RunStop();
    await expect(runSteps([fakeRunner(2, 0, "the traced app threw: Error: x")], stop)).rejects.toEqual(new RunError("the traced app threw: Error: x"));
    stop.dispose();
  });

  it("stops in the middle of a step: the step is abandoned, the runner closed, and its failure after the stop is none", async () => {
    const runner = hangingRunner();
    const stop = new RunStop();
    const done = runSteps([runner], stop);
    await runner.started;
    stop.stop("output-closed");
    await expect(done).resolves.toBe("output-closed");
    stop.dispose();
    expect(runner.closed).toBe(true);
  });

  it("takes SIGINT as a stop while it runs, and hands SIGINT back afterwards", async () => {
    const runner = hangingRunner();
    const before = process.listenerCount("SIGINT");
    const stop = new RunStop();
    const done = runSteps([runner], stop);
    await runner.started;
    process.emit("SIGINT", "SIGINT");
    await expect(done).resolves.toBe("interrupted");
    stop.dispose();
    expect(process.listenerCount("SIGINT")).toBe(before);
  });

  it("runs nothing when stopped before the first step, and still closes", async () => {
    const runner = fakeRunner(3);
    const stop = new RunStop();
    stop.stop("interrupted");
    await expect(runSteps([runner], stop)).resolves.toBe("interrupted");
    stop.dispose();
    expect([runner.ran, runner.closed]).toEqual([[], true]);
  });
});

describe("startRunners", () => {
  it("closes the runners that came up when another fails to start", async () => {
    const up = fakeRunner(1);
    const stop = new RunStop();
    await expect(startRunners([Promise.resolve(up), Promise.reject(new StepFailure("no python"))], stop)).rejects.toEqual(new RunError("no python"));
    stop.dispose();
    expect(up.closed).toBe(true);
  });
});
