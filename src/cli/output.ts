/**
 * The one writer of the CLI's stdout. A reader that goes away (`| head`,
 * `| less` quit early) makes the next write fail with EPIPE; from then on the
 * writer drops everything, never waits for a `drain` that cannot come, and
 * `closed` resolves so that a run in progress stops at once.
 */

/** Why the output ended, once it has. */
export type OutputEnd = { readonly kind: "reader-gone" } | { readonly kind: "failed"; readonly message: string };

/** A stream that may fail: `process.stdout`, or any writable in tests. */
type Sink = NodeJS.WritableStream & { readonly destroyed?: boolean; readonly writableEnded?: boolean };

/** Writes text to one stream, stopping quietly when its reader is gone. */
export class Output {
  private endedWith?: OutputEnd;
  private markEnded!: (end: OutputEnd) => void;
  /** Resolves when the stream can no longer be written: the reader went away or it failed. */
  readonly closed: Promise<OutputEnd>;

  constructor(private readonly stream: Sink = process.stdout) {
    this.closed = new Promise((resolve) => (this.markEnded = resolve));
    // A listener must stay on for as long as the stream lives: an 'error' without one is an uncaught exception.
    stream.on("error", (error: NodeJS.ErrnoException) => {
      this.end(error.code === "EPIPE" ? { kind: "reader-gone" } : { kind: "failed", message: `cannot write to stdout: ${error.message}` });
    });
    stream.on("close", () => this.end({ kind: "reader-gone" }));
  }

  /** Why the output ended, or undefined while it can still be written. */
  get ended(): OutputEnd | undefined {
    return this.endedWith;
  }

  private end(end: OutputEnd): void {
    if (this.endedWith) return;
    this.endedWith = end;
    this.markEnded(end);
  }

  /** Writes `text`; resolves once the stream has taken it, or at once when the output has ended. */
  async write(text: string): Promise<void> {
    if (this.endedWith || this.stream.destroyed || this.stream.writableEnded) return;
    if (this.stream.write(text)) return;
    await new Promise<void>((resolve) => {
      const done = (): void => {
        this.stream.off("drain", done);
        resolve();
      };
      this.stream.on("drain", done);
      void this.closed.then(done);
    });
  }

  /** Writes every piece in order, stopping at the first the stream cannot take; returns the bytes written. */
  async writeAll(pieces: Iterable<string>): Promise<number> {
    let bytes = 0;
    for (const piece of pieces) {
      if (this.endedWith) break;
      await this.write(piece);
      bytes += Buffer.byteLength(piece);
    }
    return bytes;
  }
}

const outputs = new WeakMap<NodeJS.WritableStream, Output>();

/** The one {@link Output} of a stream (default: stdout), so that every writer sees the same end. */
export function outputOf(stream: NodeJS.WritableStream = process.stdout): Output {
  let output = outputs.get(stream);
  if (!output) outputs.set(stream, (output = new Output(stream)));
  return output;
}
