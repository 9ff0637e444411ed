/**
 * The recording proxy: forwards bytes unchanged both ways and records them per
 * connection, in order, with open/close events.
 */
import net from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { RecordingProxy } from "../../src/runtime/python/proxy.js";
import type { TapBatch } from "../../src/instrument/socket-tap.js";
import { chunkAt, chunkCount, type ChunkColumns } from "../../src/instrument/chunk-batch.js";

const chunksOf = (columns: ChunkColumns) => Array.from({ length: chunkCount(columns) }, (_, i) => chunkAt(columns, i));

let cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of cleanup.reverse()) await close();
  cleanup = [];
});

function echoServer(): Promise<number> {
  return new Promise((resolve) => {
    const server = net.createServer((socket) => socket.on("data", (data) => socket.write(Buffer.concat([Buffer.from("echo:"), data]))));
    server.listen(0, "127.0.0.1", () => resolve((server.address() as net.AddressInfo).port));
    cleanup.push(() => new Promise((done) => server.close(() => done())));
  });
}

describe("RecordingProxy", () => {
  it("forwards both directions unchanged and records them in order", async () => {
    const port = await echoServer();
    const batches: TapBatch[] = [];
    const proxy = await RecordingProxy.start({ target: { host: "127.0.0.1", port }, onCapture: (b) => batches.push(b) });
    cleanup.push(() => proxy.close());
    expect(proxy.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const reply = await new Promise<string>((resolve, reject) => {
      const client = net.connect(Number(new URL(proxy.url).port), "127.0.0.1", () => client.write("hello"));
      client.on("data", (data) => {
        resolve(data.toString());
        client.end();
      });
      client.on("error", reject);
    });
    expect(reply).toBe("echo:hello");
    await new Promise((resolve) => setTimeout(resolve, 50));
    const chunks = batches.flatMap((b) => chunksOf(b.chunks));
    expect(chunks.map((c) => [c.dir, Buffer.from(c.bytes).toString()])).toEqual([["in", "hello"], ["out", "echo:hello"]]);
    expect(chunks.map((c) => c.seq)).toEqual([0, 1]);
    const events = batches.flatMap((b) => b.events).map((e) => e.type);
    expect(events).toEqual(["open", "close"]);
  });

  it("keeps at most chunkBytes of a chunk but counts its full size", async () => {
    const port = await echoServer();
    const batches: TapBatch[] = [];
    const proxy = await RecordingProxy.start({ target: { host: "127.0.0.1", port }, chunkBytes: 4, onCapture: (b) => batches.push(b) });
    cleanup.push(() => proxy.close());
    await new Promise<void>((resolve) => {
      const client = net.connect(Number(new URL(proxy.url).port), "127.0.0.1", () => client.write("0123456789"));
      client.on("data", () => {
        client.end();
        resolve();
      });
    });
    const first = batches.flatMap((b) => chunksOf(b.chunks))[0];
    expect(first.bytes.length).toBe(4);
    expect(first.size).toBe(10);
  });
});
