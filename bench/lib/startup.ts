// Start-up measurements of the real binary: `trace-socket --no-interactive` until the first
// step is printed (cold cache, warm cache), and the stepper's first paint under tmux.
import { spawn, execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PACKAGE_ROOT } from "../../src/trace/scenario.js";
import { fileURLToPath } from "node:url";

const root = PACKAGE_ROOT;
const BIN = join(root, "bin", "trace-socket.js");
const FIRST_STEP = /Step 1\/8/;

/** One headless start: ms to the first stdout byte, to `Step 1/8`, to exit. */
export interface HeadlessStart {
  readonly firstByteMs: number | undefined;
  readonly firstStepMs: number | undefined;
  readonly exitMs: number;
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stderr: string;
}

/** bench/first-step's times through the runner's API, or why there are none. */
export type RunnerStart =
  | { readonly ok: true; readonly loadedMs: number; readonly startMs: number; readonly firstStepMs: number; readonly allStepsMs: number; readonly wallMs: number }
  | { readonly ok: false; readonly error: string };

/** One stepper start under tmux: ms to a frame with the steps list, or the last screen. */
export interface StepperPaint {
  readonly paintMs: number | undefined;
  readonly screen: string | undefined;
}

/**
 * Runs `trace-socket --no-interactive` with `TRACE_SOCKET_CACHE=cacheDir`; returns ms to the
 * first stdout byte, to the first step printed, and to exit, plus the exit code.
 */
export function headlessStart(cacheDir: string, timeoutMs = 30_000): Promise<HeadlessStart> {
  return new Promise((resolve) => {
    const started = performance.now();
    const child = spawn(process.execPath, [BIN, "--no-interactive"], {
      cwd: root,
      env: { ...process.env, TRACE_SOCKET_CACHE: cacheDir, NO_COLOR: "1", FORCE_COLOR: "0" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    let firstByte: number | undefined;
    let firstStep: number | undefined;
    let stderr = "";
    child.stdout.on("data", (data: Buffer) => {
      firstByte ??= performance.now() - started;
      output += data;
      if (firstStep === undefined && FIRST_STEP.test(output)) firstStep = performance.now() - started;
    });
    child.stderr.on("data", (data: Buffer) => (stderr += data));
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      resolve({ firstByteMs: firstByte, firstStepMs: firstStep, exitMs: performance.now() - started, code, signal, stderr: stderr.slice(-2000) });
    });
  });
}

/** Cold and warm runs, interleaved: cold gets a fresh empty cache each time, warm reuses one. */
export async function measureHeadless(runs: number): Promise<{ cold: HeadlessStart[]; warm: HeadlessStart[]; viaRunner: RunnerStart[] }> {
  const warmCache = mkdtempSync(join(tmpdir(), "trace-socket-bench-warm-"));
  const cold: HeadlessStart[] = [];
  const warm: HeadlessStart[] = [];
  const viaRunner: RunnerStart[] = [];
  try {
    await headlessStart(warmCache); // fills the warm cache
    for (let i = 0; i < runs; i++) {
      const coldCache = mkdtempSync(join(tmpdir(), "trace-socket-bench-cold-"));
      try {
        cold.push(await headlessStart(coldCache));
      } finally {
        rmSync(coldCache, { recursive: true, force: true });
      }
      warm.push(await headlessStart(warmCache));
      viaRunner.push(await firstStepViaRunner(warmCache));
    }
  } finally {
    rmSync(warmCache, { recursive: true, force: true });
  }
  return { cold, warm, viaRunner };
}

/** How the stepper is opened: the binary, in a terminal. */
export const STEPPER = { args: [BIN], via: "the binary (`trace-socket`)" };

function tmux(...args: string[]): string {
  return execFileSync("tmux", args, { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] });
}

/**
 * A first frame shows the steps list: the steps pane's title ("steps 0/8 run"), or at least
 * three of the chat scenario's step titles outside the headless output (whose steps are "━━ Step").
 */
const STEP_TITLES = ["init", "handler registration", "middleware", "run", "connect", "message", "heartbeat", "disconnect"];
function showsSteps(screen: string): boolean {
  if (/steps \d+\/\d+/.test(screen)) return true;
  return !screen.includes("━━ Step") && STEP_TITLES.filter((title) => screen.includes(title)).length >= 3;
}

/**
 * Runs the interactive binary in a detached tmux session at 80x24 and times until a frame
 * shows the steps list; then quits it with `q` (killing the session if it lingers).
 */
export async function stepperFirstPaint(cacheDir: string, args: readonly string[], timeoutMs = 15_000): Promise<StepperPaint> {
  const session = `trace-socket-bench-${process.pid}`;
  const command = `cd ${JSON.stringify(root)} && TRACE_SOCKET_CACHE=${JSON.stringify(cacheDir)} ${[process.execPath, ...args].map((a) => JSON.stringify(a)).join(" ")}; sleep 2`;
  const started = performance.now();
  tmux("new-session", "-d", "-s", session, "-x", "80", "-y", "24", command);
  let paintMs: number | undefined;
  let screen = "";
  try {
    while (performance.now() - started < timeoutMs) {
      try {
        screen = tmux("capture-pane", "-p", "-t", session);
      } catch {
        break; // The session ended: the binary exited without painting.
      }
      if (showsSteps(screen)) {
        paintMs = performance.now() - started;
        break;
      }
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    try {
      tmux("send-keys", "-t", session, "q");
      await new Promise((resolve) => setTimeout(resolve, 1500));
    } catch {
      // Already gone.
    }
  } finally {
    try {
      tmux("kill-session", "-t", session);
    } catch {
      // Already gone.
    }
  }
  return { paintMs, screen: paintMs === undefined ? screen : undefined };
}

/** Warm first paint, `runs` times (the first run fills the cache and is not counted). */
export async function measureStepper(runs: number, args: readonly string[]): Promise<StepperPaint[]> {
  const cache = mkdtempSync(join(tmpdir(), "trace-socket-bench-ui-"));
  try {
    await headlessStart(cache);
    await stepperFirstPaint(cache, args); // the stepper's own caches (source index) warm up too
    const out: StepperPaint[] = [];
    for (let i = 0; i < runs; i++) out.push(await stepperFirstPaint(cache, args));
    return out;
  } finally {
    rmSync(cache, { recursive: true, force: true });
  }
}

/** Runs bench/first-step: when step 1 is done through the runner's API (ms since its start). */
export function firstStepViaRunner(cacheDir: string): Promise<RunnerStart> {
  return new Promise((resolve) => {
    const started = performance.now();
    const child = spawn(process.execPath, [fileURLToPath(new URL("../first-step/index.js", import.meta.url))], {
      cwd: root,
      env: { ...process.env, TRACE_SOCKET_CACHE: cacheDir },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let text = "";
    let stderr = "";
    child.stdout.on("data", (data: Buffer) => (text += data));
    child.stderr.on("data", (data: Buffer) => (stderr += data));
    child.on("close", (code) => {
      const wall = performance.now() - started;
      try {
        const r = JSON.parse(text.trim().split("\n").at(-1) ?? "") as { loadedMs: number; startMs: number; firstStepMs: number; allStepsMs: number };
        // The child's clock starts after node itself has started; add that gap back.
        resolve(code === 0 ? { ...r, wallMs: wall, ok: true } : { ok: false, error: stderr.slice(-500) || `exit ${code}` });
      } catch {
        resolve({ ok: false, error: stderr.slice(-500) || `exit ${code}` });
      }
    });
  });
}
