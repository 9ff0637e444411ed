/**
 * A real terminal for the stepper's end-to-end tests: a private tmux server
 * running one command in an 80×24 window, read back as the screen shows it;
 * and the suite around it (the tmux gate, the build check, every terminal
 * closed after each test), which every stepper e2e file shares.
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterEach, beforeAll, describe } from "vitest";
import { descendants } from "./processes.js";
import { requireSystemTool, runs } from "./system-tool.js";

const ROOT = resolve(import.meta.dirname, "../..");

/** The built binary the stepper tests run. */
export const ENTRY = join(ROOT, "bin/trace-socket.js");

/** A private tmux server running one command in an 80×24 window. */
export class Terminal {
  readonly dir = mkdtempSync(join(tmpdir(), "trace-socket-e2e-"));
  private readonly socket = join(this.dir, "tmux.sock");

  constructor(args: readonly string[], env: Readonly<Record<string, string>> = {}) {
    const quoted = args.map((a) => `'${a}'`).join(" ");
    const vars = Object.entries(env).map(([k, v]) => `${k}='${v}'`).join(" ");
    // CI makes ink print only the last frame: a real terminal has no CI variable.
    const command = `env -u CI -u CONTINUOUS_INTEGRATION ${vars} node ${quoted} 2> stderr.txt; echo $? > exit.txt`;
    this.tmux("new-session", "-d", "-s", "stepper", "-x", "80", "-y", "24", "-c", this.dir, command);
  }

  tmux(...args: string[]): string {
    return execFileSync("tmux", ["-S", this.socket, ...args], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
  }

  /** What the terminal shows; with `styled`, with its SGR attributes. */
  screen(styled = false): string {
    try {
      return this.tmux("capture-pane", "-p", ...(styled ? ["-e"] : []), "-t", "stepper");
    } catch {
      return "";
    }
  }

  keys(...keys: string[]): void {
    for (const key of keys) this.tmux("send-keys", "-t", "stepper", key);
  }

  async waitFor(test: (screen: string) => boolean, what: string, timeoutMs = 15_000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const screen = this.screen();
      if (test(screen)) return screen;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; screen:\n${screen}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  async exitCode(timeoutMs = 15_000): Promise<number> {
    const file = join(this.dir, "exit.txt");
    const deadline = Date.now() + timeoutMs;
    while (!existsSync(file) || readFileSync(file, "utf8").trim() === "") {
      if (Date.now() > deadline) throw new Error(`the stepper did not exit; screen:\n${this.screen()}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    return Number(readFileSync(file, "utf8").trim());
  }

  stderr(): string {
    return readFileSync(join(this.dir, "stderr.txt"), "utf8");
  }

  /** Every process below the window's shell: the CLI, the traced server, the client. */
  descendants(): Map<number, string> {
    return descendants(Number(this.tmux("display-message", "-p", "-t", "stepper", "#{pane_pid}").trim()));
  }

  close(): void {
    try {
      this.tmux("kill-server");
    } catch {
      // Already gone with its last window.
    }
    rmSync(this.dir, { recursive: true, force: true });
  }
}

const tmuxGate = requireSystemTool({ name: "tmux", install: "sudo apt-get install tmux", neededBy: "the stepper's terminal test" }, runs("tmux", ["-V"]));

/** Opens a terminal running `node args…` (with `env`); the suite closes it after the test. */
export type OpenTerminal = (args: readonly string[], env?: Readonly<Record<string, string>>) => Terminal;

/**
 * A describe block of stepper tests in tmux, titled `title (tmux, 80×24)`: skipped (said in the
 * title) where tmux is absent and CI does not need it; fails first when `built` (a file of the
 * build, relative to the repository) is missing; closes every terminal `body`'s tests open.
 */
export function terminalSuite(title: string, body: (open: OpenTerminal) => void, built = "dist/cli/interactive.js"): void {
  describe.skipIf(tmuxGate.skip)(`${title} (tmux, 80×24)${tmuxGate.titleNote}`, () => {
    const open: Terminal[] = [];

    beforeAll(() => {
      tmuxGate.assertPresent();
      if (!existsSync(join(ROOT, built))) throw new Error("build first: npx tsc -p .");
    });

    afterEach(() => {
      for (const terminal of open.splice(0)) terminal.close();
    });

    body((args, env) => {
      const terminal = new Terminal(args, env);
      open.push(terminal);
      return terminal;
    });
  });
}

/** A screen test: the stepper has run `ran` of `planned` steps and runs nothing now. */
export const idle = (ran: number, planned: number) => (screen: string): boolean => screen.includes(`steps ${ran}/${planned} run`) && !screen.includes("⟳");
