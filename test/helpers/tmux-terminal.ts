/**
 * A real terminal for the stepper's end-to-end tests: a private tmux server
 * running one command in an 80×24 window, read back as the screen shows it.
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { descendants } from "./processes.js";

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
