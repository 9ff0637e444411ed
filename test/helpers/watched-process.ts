/**
 * A child process a test starts and reads as it goes (the traced CLI, a second server, a client):
 * what it printed so far, a wait for a line, and its exit.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { PACKAGE_ROOT } from "../../src/trace/scenario.js";

/** A started process and what it printed. */
export interface Watched {
  readonly child: ChildProcess;
  out(): string;
  err(): string;
  /** Resolves with the first match of `re` in stdout + stderr (now or later). */
  line(re: RegExp): Promise<RegExpExecArray>;
  readonly exited: Promise<number | null>;
}

/** `node <args>` from the package root, with `env` added (CI unset, so the CLI behaves as for a user). */
export function startNode(args: readonly string[], env: NodeJS.ProcessEnv = {}): Watched {
  const child = spawn(process.execPath, args, { cwd: PACKAGE_ROOT, stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, CI: "", ...env } });
  let out = "";
  let err = "";
  const waits: { re: RegExp; resolve: (m: RegExpExecArray) => void }[] = [];
  const check = (): void => {
    for (const wait of [...waits]) {
      const match = wait.re.exec(out + err);
      if (match) {
        waits.splice(waits.indexOf(wait), 1);
        wait.resolve(match);
      }
    }
  };
  child.stdout!.on("data", (d: Buffer) => ((out += d), check()));
  child.stderr!.on("data", (d: Buffer) => ((err += d), check()));
  const exited = new Promise<number | null>((resolve) => child.on("close", resolve));
  return {
    child,
    out: () => out,
    err: () => err,
    line: (re) => new Promise((resolve) => (waits.push({ re, resolve }), check())),
    exited,
  };
}
