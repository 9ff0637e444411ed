import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { Output } from "../../src/cli/output.js";

/** A writable like a pipe whose reader went away after `accept` writes: the next write fails with EPIPE. */
function closingPipe(accept: number): Writable & { received: string[] } {
  const received: string[] = [];
  const stream = new Writable({
    highWaterMark: 1,
    write(chunk: Buffer, _encoding, done) {
      if (received.length >= accept) {
        done(Object.assign(new Error("write EPIPE"), { code: "EPIPE" }));
        return;
      }
      received.push(String(chunk));
      // Slow like a full pipe: every write waits for a drain.
      setImmediate(done);
    },
  });
  return Object.assign(stream, { received });
}

describe("Output", () => {
  it("writes in order, waiting for drains", async () => {
    const pipe = closingPipe(10);
    const output = new Output(pipe);
    expect(await output.writeAll(["a", "b", "c"])).toBe(3);
    expect(pipe.received).toEqual(["a", "b", "c"]);
    expect(output.ended).toBeUndefined();
  });

  it("ends quietly on EPIPE: the pending write resolves, later writes are dropped, `closed` says why", async () => {
    const pipe = closingPipe(1);
    const output = new Output(pipe);
    await output.write("first");
    // This write is refused by the stream and no drain will ever come: it must not hang.
    await output.write("second");
    await expect(output.closed).resolves.toEqual({ kind: "reader-gone" });
    await output.write("third");
    expect(pipe.received).toEqual(["first"]);
    expect(output.ended).toEqual({ kind: "reader-gone" });
  });

  it("ends with a reason on any other write error", async () => {
    const stream = new Writable({
      write(_chunk, _encoding, done) {
        done(Object.assign(new Error("no space left on device"), { code: "ENOSPC" }));
      },
    });
    const output = new Output(stream);
    await output.write("x");
    await expect(output.closed).resolves.toEqual({ kind: "failed", message: "cannot write to stdout: no space left on device" });
  });
});
