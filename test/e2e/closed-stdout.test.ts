/**
 * A reader that goes away early (`| head`, `| less` quit) ends the run at
 * once: the built binary and every process it started exit, in each headless
 * mode. And Ctrl-C always ends a headless run, with the trace so far.
 * Nothing here is timed: each test waits for the process's exit event.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { PACKAGE_ROOT } from "../../src/trace/scenario.js";
import { serializeTrace } from "../../src/trace/trace-file.js";
import { chatTrace } from "../fixtures/export/chat-trace.js";
import { pythonAvailable, skipReason } from "../flask/helpers.js";
import { BIN } from "../helpers/cli.js";
import { alive, descendants } from "../helpers/processes.js";

const dir = mkdtempSync(join(tmpdir(), "trace-socket-closed-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Ended {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
  /** Every process seen below the CLI while it ran, by its last live command line. */
  readonly children: Map<number, string>;
  /** Every command line ever seen below the CLI (a process shows `[python3]` while it exits). */
  readonly sighted: ReadonlySet<string>;
  /** Whether the pipe was closed (or SIGINT sent) before the CLI exited. */
  readonly acted: boolean;
}

/**
 * Runs the binary with `args`; once `lines` lines have arrived on stdout
 * (and a process matching `seen` was found below it, if given) does `act`:
 * destroys the pipe (the reader is gone) or sends SIGINT. Resolves on exit.
 */
function runUntil(args: readonly string[], act: "close" | "sigint", lines: number, seen?: RegExp): Promise<Ended> {
  // A machine under load may take long to start an app: the start's own cutoff is not what is tested here.
  const child = spawn(process.execPath, [BIN, ...args], { cwd: PACKAGE_ROOT, env: { ...process.env, CI: "", TRACE_SOCKET_START_TIMEOUT: "60000" }, stdio: ["ignore", "pipe", "pipe"] });
  const children = new Map<number, string>();
  const sighted = new Set<string>();
  let stdout = "";
  let stderr = "";
  let acted = false;
  let exited = false;
  const ready = (): boolean => stdout.split("\n").length > lines && (!seen || [...sighted].some((a) => seen.test(a)));
  const maybeAct = (): void => {
    if (acted || exited || !ready()) return;
    acted = true;
    if (act === "close") child.stdout.destroy();
    else child.kill("SIGINT");
  };
  // Sampling, not timing: which processes the CLI started is read while it runs.
  const sample = (): void => {
    if (exited) return;
    // The last live sight counts: between fork and exec a process shows the CLI's own command line,
    // and one being closed shows as `<defunct>` until it is reaped.
    for (const [pid, a] of descendants(child.pid!)) {
      sighted.add(a);
      if (!children.has(pid) || !a.includes("<defunct>")) children.set(pid, a);
    }
    maybeAct();
    setTimeout(sample, 150);
  };
  sample();
  child.stdout.on("data", (d: Buffer) => {
    stdout += d;
    maybeAct();
  });
  child.stderr.on("data", (d: Buffer) => (stderr += d));
  return new Promise((resolve) =>
    child.on("exit", (code, signal) => {
      exited = true;
      resolve({ code, signal, stdout, stderr, children, sighted, acted });
    }),
  );
}

/** What a failed expectation shows: how the CLI ended and what it started. */
function told(ended: Ended): string {
  return `code ${ended.code} signal ${ended.signal}, ${ended.stdout.length} bytes on stdout, stderr: ${ended.stderr}\nseen: ${[...ended.sighted].join("\n")}`;
}

/** The CLI's children that are still running. */
function survivors(ended: Ended): string[] {
  return [...ended.children].filter(([pid]) => alive(pid)).map(([pid, args]) => `${pid} ${args}`);
}

describe("a closed stdout ends the run, children included", () => {
  it("--no-interactive: exits 0 mid-run, the traced server and client gone", async () => {
    const ended = await runUntil(["--no-interactive"], "close", 3, /traced-process\.js/);
    expect(ended.acted, told(ended)).toBe(true);
    expect(ended.stderr).toBe("");
    expect(ended.code, ended.stderr).toBe(0);
    expect(ended.stdout).not.toContain("Step 8/8");
    expect([...ended.children.values()].some((a) => a.includes("traced-process.js")), [...ended.children.values()].join("\n")).toBe(true);
    expect(survivors(ended)).toEqual([]);
  });

  it("--json: exits 0 after the first lines", async () => {
    // JSON lines come once the run is over: the pipe closes while they are written.
    const ended = await runUntil(["--json"], "close", 1);
    expect(ended.acted, told(ended)).toBe(true);
    expect(ended.code, ended.stderr).toBe(0);
    expect(ended.stderr).toBe("");
    expect(survivors(ended)).toEqual([]);
  });

  it("your own app, as text: exits 0, the app and the client gone", async () => {
    const ended = await runUntil(["test/fixtures/apps/express-cjs/server.js", "--emit-ack", 'echo="x"'], "close", 3, /traced-process\.js/);
    expect(ended.acted, told(ended)).toBe(true);
    expect(ended.code, ended.stderr).toBe(0);
    expect(ended.stderr).not.toContain("unexpected error");
    expect(ended.stdout).toContain("Step 1/");
    expect(survivors(ended)).toEqual([]);
  });

  it.runIf(pythonAvailable)(`--compare: exits 0, the Python and Node processes gone${skipReason}`, async () => {
    const ended = await runUntil(["--compare"], "close", 1, /tracer\.py/);
    expect(ended.acted, told(ended)).toBe(true);
    expect(ended.code, ended.stderr).toBe(0);
    expect(ended.stderr).not.toContain("unexpected error");
    expect([...ended.sighted].some((a) => a.includes("tracer.py")), told(ended)).toBe(true);
    expect(survivors(ended)).toEqual([]);
  }, 180_000);

  it("replay and export -o -: exit 0 after the first lines", async () => {
    const file = join(dir, "trace.json");
    writeFileSync(file, serializeTrace(chatTrace()));
    for (const args of [["replay", file], ["replay", file, "--json"], ["export", "--from", file, "--format", "json", "-o", "-"]]) {
      const ended = await runUntil(args, "close", 1);
      expect(ended.acted, args.join(" ")).toBe(true);
      expect(ended.code, args.join(" ")).toBe(0);
      expect(ended.stderr, args.join(" ")).toBe("");
    }
  });

  it("--help, --version and lessons, the reader gone before they write: exit 0, no EPIPE", async () => {
    // Zero lines: the pipe is closed at once, before the CLI has started, so its first write meets no reader.
    for (const args of [["--help"], ["--version"], ["lessons"], ["export", "--help"]]) {
      const ended = await runUntil(args, "close", 0);
      expect(ended.acted, args.join(" ")).toBe(true);
      expect(ended.code, `${args.join(" ")}: ${ended.stderr}`).toBe(0);
      expect(ended.stderr, args.join(" ")).toBe("");
    }
  });
});

describe("Ctrl-C ends a headless run at once", () => {
  it("--no-interactive: the trace so far, exit 130, nothing left running", async () => {
    const ended = await runUntil(["--no-interactive"], "sigint", 3, /traced-process\.js/);
    expect(ended.code, told(ended)).toBe(130);
    expect(ended.stdout).toContain("Step 1/8");
    expect(ended.stdout).not.toContain("Step 8/8");
    expect(survivors(ended)).toEqual([]);
  });

  it("--json, before anything was printed: the trace so far as JSON lines, exit 130", async () => {
    const ended = await runUntil(["--json"], "sigint", 0, /traced-process\.js/);
    expect(ended.code, told(ended)).toBe(130);
    expect(JSON.parse(ended.stdout.split("\n")[0])).toMatchObject({ type: "meta", schema: "trace-socket" });
    expect(survivors(ended)).toEqual([]);
  });
});
