/**
 * Waits on a run's processes last while the run works and fail once it has
 * idled a whole window: on a clock, CPU meter and count we drive (the rule),
 * and on real processes read through /proc (a busy child is waited for past
 * the idle limit; an idle one is given up on, saying why).
 */
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { afterEach, describe, expect, it } from "vitest";
import { IDLE_SHARE, IdleWatch, watchWork, workDone } from "../../src/runtime/progress.js";
import { ChildTimeoutError, Waiters } from "../../src/runtime/waiters.js";

describe("IdleWatch: windows of work", () => {
  it("CPU time: each window with its share of a core starts another; the first without ends it", () => {
    const run = { now: 0, cpu: 0 };
    const watch = new IdleWatch({ idleMs: 10_000, now: () => run.now, cpuMs: () => run.cpu });
    expect(watch.remainingMs).toBe(10_000);
    // A minute of slow work: 5 % of a core, far past the 10 s limit.
    for (let second = 1; second <= 60; second++) {
      run.now = second * 1000;
      run.cpu += 50;
      expect(watch.expired(), `at ${second} s`).toBe(false);
    }
    // Then a trickle (heartbeats, timers) below the share: idle, at the end of the window.
    for (let second = 61; second < 70; second++) {
      run.now = second * 1000;
      run.cpu += 1000 * IDLE_SHARE * 0.5;
      expect(watch.expired(), `at ${second} s`).toBe(false);
    }
    run.now = 70_000;
    expect(watch.expired()).toBe(true);
    expect(watch.ended).toBe("idle");
    expect(watch.reason).toBe("nothing of the run has used the CPU for 10 s");
  });

  it("a count: any increase in a window is progress, none ends it", () => {
    const state = { now: 0, sent: 0 };
    const watch = new IdleWatch({ idleMs: 1000, now: () => state.now, count: () => state.sent });
    for (let window = 1; window <= 20; window++) {
      state.sent += 1;
      state.now = window * 1000;
      expect(watch.expired(), `window ${window}`).toBe(false);
    }
    state.now += 1000;
    expect(watch.expired()).toBe(true);
    expect(watch.reason).toBe("nothing came for 1 s");
  });

  it("a ceiling ends it even while the run works", () => {
    const state = { now: 0, sent: 0 };
    const watch = new IdleWatch({ idleMs: 1000, ceilingMs: 3000, now: () => state.now, count: () => state.sent });
    for (const now of [1000, 2000]) {
      state.sent++;
      state.now = now;
      expect(watch.expired()).toBe(false);
    }
    expect(watch.remainingMs).toBe(1000);
    state.sent++;
    state.now = 3000;
    expect(watch.expired()).toBe(true);
    expect(watch.ended).toBe("ceiling");
    expect(watch.reason).toContain("a loop that never yields");
  });
});

const children: ChildProcess[] = [];
afterEach(() => {
  for (const child of children.splice(0)) child.kill("SIGKILL");
});

/** A Node child with an IPC channel running `code`, its messages handed to `waiters`. */
function child(code: string, waiters: Waiters<string>): ChildProcess {
  const process_ = spawn(process.execPath, ["-e", code], { stdio: ["ignore", "ignore", "inherit", "ipc"] });
  children.push(process_);
  watchWork(process_);
  process_.on("message", (message: string) => waiters.deliver(message));
  return process_;
}

const isDone = (m: string): m is "done" => m === "done";

describe.runIf(existsSync("/proc/self/stat"))("waits on real processes (/proc)", () => {
  it("counts a watched child's CPU time as the run's work", async () => {
    const before = workDone();
    const waiters = new Waiters<string>();
    // Busy for 400 ms of its own CPU time, however long the machine takes to give it that.
    child(`const t0 = process.cpuUsage(); while (process.cpuUsage(t0).user < 400_000); process.send("done"); setInterval(() => {}, 1000);`, waiters);
    await waiters.wait(isDone, 60_000, "the child did not finish");
    expect(workDone() - before).toBeGreaterThanOrEqual(400);
  });

  it("waits past the idle limit for a child that works, and gives up on one that idles", async () => {
    const waiters = new Waiters<string>();
    // Works (in slices, so that it can hear us) until told to answer, and we tell it only once two
    // whole idle windows have passed: the wait outlives its limit on the child's work alone. The
    // windows are 2 s: 2 % of one is 40 ms, four clock ticks of /proc, where a 0.5 s window's 10 ms
    // was one tick that a child given its fair share of a loaded machine could miss.
    const busy = child(
      `let told = false; process.on("message", () => { told = true; process.send("done"); });` +
        `const spin = () => { const t0 = Date.now(); while (Date.now() - t0 < 20); if (!told) setImmediate(spin); }; spin(); setInterval(() => {}, 1000);`,
      waiters,
    );
    const answered = waiters.wait(isDone, 2000, "the busy child did not answer");
    setTimeout(() => busy.send("answer"), 2 * 2000);
    await expect(answered).resolves.toBe("done");
    const idle = new Waiters<string>();
    child(`setInterval(() => {}, 1000);`, idle);
    const error = await idle.wait(isDone, 500, "the idle child did not answer").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ChildTimeoutError);
    expect((error as Error).message).toBe("the idle child did not answer: nothing of the run has used the CPU for 0.5 s");
  });
});
