import { describe, expect, it } from "vitest";
import { asRunError, runAllSteps, type StepRunner } from "../../src/cli/run-steps.js";
import { RunError, UsageError } from "../../src/cli/errors.js";
import { ChildExitedError, StepFailure } from "../../src/scenario/child.js";
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

describe("runAllSteps", () => {
  it("runs every step of every runner and closes them", async () => {
    const runners = [fakeRunner(3), fakeRunner(2)];
    await expect(runAllSteps(runners)).resolves.toBe(false);
    expect(runners.map((r) => [r.ran, r.closed])).toEqual([[[0, 1, 2], true], [[0, 1], true]]);
  });

  it("closes every runner when one fails, and reports the failure as a RunError", async () => {
    const runners = [fakeRunner(3, 1), fakeRunner(2)];
    await expect(runAllSteps(runners)).rejects.toEqual(new RunError("step 2 failed"));
    expect(runners.every((r) => r.closed)).toBe(true);
  });

  it("prefers the traced app's own failure to the step's", async () => {
    await expect(runAllSteps([fakeRunner(2, 0, "the traced app threw: Error: x")])).rejects.toEqual(new RunError("the traced app threw: Error: x"));
  });
});
