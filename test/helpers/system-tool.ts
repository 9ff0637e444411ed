/**
 * Tests that drive a system program for real (Chromium, tmux) need it installed. On a
 * developer's machine without it they skip, saying once what to install; in CI (`CI` set)
 * a missing program is a failure, so a broken CI image never passes by skipping.
 */
import { accessSync, constants } from "node:fs";
import { spawnSync } from "node:child_process";
import { connect } from "node:net";

/** A system program some tests need. */
export interface SystemTool {
  /** How people call it: "Chromium", "tmux". */
  readonly name: string;
  /** The command that installs it: "sudo apt-get install chromium". */
  readonly install: string;
  /** Which tests need it, for the message: "the browser test". */
  readonly neededBy: string;
}

/** What the tests that need a tool do. */
export type ToolVerdict =
  | { readonly action: "run" }
  | { readonly action: "skip"; readonly message: string }
  | { readonly action: "fail"; readonly message: string };

/** Whether `CI` is set the way CI services set it (`true`, `1`, a name); empty, `0` and `false` do not count. */
export function inCi(env: NodeJS.ProcessEnv): boolean {
  const value = env.CI?.trim().toLowerCase();
  return value !== undefined && value !== "" && value !== "0" && value !== "false";
}

/** The rule, as a pure function: run when present; when absent, fail in CI and skip elsewhere. */
export function toolVerdict(tool: SystemTool, present: boolean, env: NodeJS.ProcessEnv): ToolVerdict {
  if (present) return { action: "run" };
  if (inCi(env)) return { action: "fail", message: `${tool.name} is not installed and CI is set, so ${tool.neededBy} cannot be skipped: ${tool.install}` };
  return { action: "skip", message: `${tool.neededBy} skipped: ${tool.name} is not installed (${tool.install}; in CI, with CI set, this is a failure)` };
}

/** What a test file gets back from {@link requireSystemTool}. */
export interface ToolGate {
  /** True when the tests skip (absent, not in CI): pass to `describe.skipIf`. */
  readonly skip: boolean;
  /** Appended to the describe title: empty when the tests run, the reason when they skip. */
  readonly titleNote: string;
  /** Throws the readable failure when the tool is absent in CI; call it in `beforeAll`. */
  assertPresent(): void;
}

/**
 * Decides once, at load time, for the tests of one file: prints the skip message (once, on
 * stderr) when they skip, and keeps the failure for `assertPresent` when CI needs the tool.
 */
export function requireSystemTool(tool: SystemTool, present: boolean, env: NodeJS.ProcessEnv = process.env): ToolGate {
  const verdict = toolVerdict(tool, present, env);
  if (verdict.action === "skip") console.warn(`trace-socket tests: ${verdict.message}`);
  return {
    skip: verdict.action === "skip",
    titleNote: verdict.action === "skip" ? ` (${verdict.message})` : "",
    assertPresent() {
      if (verdict.action === "fail") throw new Error(verdict.message);
    },
  };
}

/** Whether `path` is an executable file. */
export function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** Whether `command args…` runs and exits 0 (found on PATH and working). */
export function runs(command: string, args: readonly string[]): boolean {
  return spawnSync(command, args, { stdio: "ignore" }).status === 0;
}

/** Whether nothing accepts connections on 127.0.0.1:`port` any more (a stopped server's port). */
export function refuses(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, "127.0.0.1");
    socket.once("connect", () => {
      socket.destroy();
      resolve(false);
    });
    socket.once("error", () => resolve(true));
  });
}
