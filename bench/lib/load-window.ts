// A load process's window, shared by the load clients: it opens on the harness's "go", closes
// after its duration (or its message count), then the last messages get a bounded time to come
// back, so a server that stalls ends the run (counted as lost) instead of hanging it.
import type { GoMessage } from "./messages.js";

/** What a load client plugs into the window. */
export interface WindowHooks {
  /** Sends the first messages (the window is open). */
  readonly start: () => void;
  /** Messages sent and not yet answered. */
  readonly outstanding: () => number;
  /** Reports the run; `elapsedMs` from "go" to the end of the drain. */
  readonly finish: (elapsedMs: number) => void;
}

/** The window's state: whether a client may send another message. */
export class LoadWindow {
  private running = false;
  private deadline = 0;
  private maxMessages = Infinity;
  private idle: (() => void) | undefined;

  /** Whether a client that has sent `sent` messages so far may send another. */
  canSend(sent: number): boolean {
    return this.running && sent < this.maxMessages && performance.now() < this.deadline;
  }

  /** To be called when the last outstanding message came back: ends the drain early. */
  answeredAll(): void {
    this.idle?.();
  }

  /** Runs one window per "go" from the harness. */
  listen(hooks: WindowHooks): void {
    process.on("message", async (raw: unknown) => {
      const message = raw as GoMessage;
      if (message.t !== "go") return;
      this.running = true;
      this.deadline = performance.now() + message.durationMs;
      this.maxMessages = message.maxMessages;
      const started = performance.now();
      hooks.start();
      await new Promise((resolve) => setTimeout(resolve, message.durationMs));
      this.running = false;
      if (hooks.outstanding() > 0) {
        let timer: NodeJS.Timeout | undefined;
        await Promise.race([new Promise<void>((resolve) => (this.idle = resolve)), new Promise<void>((resolve) => (timer = setTimeout(resolve, 5000)))]);
        clearTimeout(timer);
      }
      hooks.finish(performance.now() - started);
      setTimeout(() => process.exit(0), 200).unref();
    });
  }
}
