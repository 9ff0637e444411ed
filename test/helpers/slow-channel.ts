/**
 * A courier's channel that holds writes until `ack`: a pipe the CLI is slow to
 * read, or one nobody reads while the app's event loop is stuck.
 */
import type { Numbered } from "../../src/runtime/node/protocol.js";

/** Records every write; its completion callbacks wait for {@link ack}. */
export class SlowChannel {
  connected = true;
  readonly written: Numbered[] = [];
  private readonly callbacks: (() => void)[] = [];
  send(message: unknown, _handle: undefined, _options: object, done: (error: Error | null) => void): boolean {
    this.written.push(message as Numbered);
    this.callbacks.push(() => done(null));
    return true;
  }
  /** Completes the first `count` writes still pending (all by default). */
  ack(count = this.callbacks.length): void {
    for (const callback of this.callbacks.splice(0, count)) callback();
  }
}
