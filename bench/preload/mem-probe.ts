// Preloaded into a traced server by the memory investigation (NODE_OPTIONS=--import …).
// Every 500 ms appends a JSON line to BENCH_MEM_FILE: process.memoryUsage() (after a full GC
// when --expose-gc is on), the event-loop delay, the recorder's counters, and how many IPC
// messages process.send has accepted but not yet written (wrapped here to count them).
import { appendFileSync } from "node:fs";
import { monitorEventLoopDelay } from "node:perf_hooks";

// The CLI-side host of the benchmark writes to its own file.
const file = process.argv[1]?.endsWith("traced-host/index.js") ? process.env.BENCH_MEM_FILE_HOST : process.env.BENCH_MEM_FILE;
if (file && process.send) {
  const started = performance.now();
  const delay = monitorEventLoopDelay({ resolution: 10 });
  delay.enable();
  const ipc = { sent: 0, written: 0 };
  const send = process.send.bind(process);
  process.send = ((message: unknown, ...rest: unknown[]) => {
    ipc.sent++;
    const callback = typeof rest.at(-1) === "function" ? (rest.pop() as (error: Error | null) => void) : undefined;
    return (send as (...args: unknown[]) => boolean)(message, ...rest, (error: Error | null) => {
      ipc.written++;
      callback?.(error);
    });
  }) as typeof process.send;
  const line = (extra: Record<string, unknown>): void => {
    const recorder = (globalThis as { __traceSocketRecorder?: { nextSeq(): number; dropped: number } }).__traceSocketRecorder;
    const loop = { loopP50: Math.round(delay.percentile(50) / 1e6), loopMax: Math.round(delay.max / 1e6) };
    delay.reset();
    const rec = recorder ? { seq: recorder.nextSeq(), dropped: recorder.dropped } : {};
    appendFileSync(file, `${JSON.stringify({ t: Math.round(performance.now() - started), ...process.memoryUsage(), ...loop, ...rec, ipcPending: ipc.sent - ipc.written, ...extra })}\n`);
  };
  setInterval(() => {
    globalThis.gc?.();
    line({});
  }, 500).unref();
  process.on("exit", () => line({ exit: true }));
}
