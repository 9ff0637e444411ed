/**
 * Once the CLI keeps no more chunks, the traced server sends counts instead
 * of bytes, and nothing goes uncounted: on a real run of the chat scenario,
 * a burst from two socket.io-client processes (each message broadcast to all) takes the collector past its
 * chunk limit; the tap batches that arrive after it said so carry no bytes,
 * only dropped chunks and their real sizes, and every chunk seq from the first
 * to the last is either kept or counted, once. The steps after it do not wait
 * for frames that cannot be kept: they say so.
 */
import { execFile } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";
import { beforeAll, describe, expect, it } from "vitest";
import { Runner } from "../../src/scenario/runner.js";
import { nodeRuntime } from "../../src/runtime/node/node-runtime.js";
import { loadScenario, PACKAGE_ROOT } from "../../src/trace/scenario.js";
import { DEFAULT_LIMITS } from "../../src/runtime/collector.js";
import { chunkCount } from "../../src/instrument/chunk-batch.js";
import type { TapBatch } from "../../src/instrument/socket-tap.js";

const run = promisify(execFile);
const BURST = join(PACKAGE_ROOT, "test/fixtures/burst/client.mjs");
/** The chat's steps up to `run` (the server listens), then the burst, then the rest of its steps. */
const SERVER_STEPS = 4;
/** The chat sends each message to every socket (eleven here): more chunks out than the collector keeps. */
const MESSAGES = 2000;

let acked = 0;
let closedAt = -1;
let settledAt = -1;
const batches: TapBatch[] = [];
let kept = 0;
let dropped = { chunks: 0, bytes: 0 };
let notes: string[] = [];

beforeAll(async () => {
  const runner = await Runner.start({ scenario: loadScenario("chat"), projectRoot: PACKAGE_ROOT, command: "test", runtime: nodeRuntime({ host: "127.0.0.1", port: 0 }) });
  const { collector } = runner;
  const addTap = collector.addTap.bind(collector);
  collector.addTap = (batch: TapBatch): void => {
    batches.push(batch);
    addTap(batch);
  };
  const onClosed = collector.onChunksClosed;
  collector.onChunksClosed = () => {
    closedAt = batches.length;
    onClosed?.();
  };
  try {
    for (let i = 0; i < SERVER_STEPS; i++) await runner.runNext();
    const env = { ...process.env, BURST: JSON.stringify({ url: collector.address, clients: 5, messages: MESSAGES / 2 }) };
    const outputs = await Promise.all([1, 2].map(() => run(process.execPath, [BURST], { env, timeout: 240_000 })));
    acked = outputs.reduce((n, o) => n + (JSON.parse(o.stdout) as { acked: number }).acked, 0);
    // Settled, the server has sent every batch of the burst and the CLI has taken them in, so it has
    // told the server already: IPC keeps order, and the server hears it before the next step's mark.
    await runner.settle();
    settledAt = batches.length;
    await runner.runAll();
    notes = runner.trace().steps.flatMap((step) => step.notes ?? []);
  } finally {
    await runner.close();
  }
  kept = collector.chunks.length;
  dropped = collector.dropped;
}, 300_000);

describe("chunks past the CLI's limit", () => {
  it("are sent as counts once the collector is full, and the app is served as before", () => {
    expect(acked).toBe(MESSAGES);
    expect(closedAt).toBeGreaterThan(0);
    expect(closedAt).toBeLessThanOrEqual(settledAt);
    expect(kept).toBe(DEFAULT_LIMITS.chunks);
    // The connections opened after it (the chat's own client, its later steps): the server had been
    // told before they opened, so none of their bytes crossed, and their chunks came as counts.
    const opened = (list: readonly TapBatch[]) => new Set(list.flatMap((b) => b.events.flatMap((e) => (e.type === "open" ? [e.conn] : []))));
    const later = opened(batches.slice(settledAt));
    for (const conn of opened(batches.slice(0, settledAt))) later.delete(conn);
    expect(later.size).toBeGreaterThan(0);
    const crossed = batches.flatMap((b) => [...b.chunks.conn].filter((conn) => later.has(conn)));
    expect(crossed).toEqual([]);
    const counted = batches.slice(settledAt).filter((b) => b.droppedChunks > 0);
    expect(counted.length).toBeGreaterThan(0);
    expect(counted.reduce((n, b) => n + b.droppedBytes, 0)).toBeGreaterThanOrEqual(counted.reduce((n, b) => n + b.droppedChunks, 0));
  });

  it("ends a step's wait for a frame at once, saying why, since the frame cannot be kept", () => {
    // The client's later steps wait for frames (a pong): none can show, and no wait runs out its windows.
    const full = notes.filter((note) => note.includes("the trace keeps no more frames"));
    expect(full.length).toBeGreaterThan(0);
    for (const note of full) expect(note).toMatch(/^gave up waiting for .* at once: the trace keeps no more frames: its limit of 12,000 chunks or 16 MB was reached/);
    expect(notes.filter((note) => / after \d/.test(note))).toEqual([]);
  });

  it("keeps or counts every chunk seq once, in order", () => {
    let end = batches[0].chunks.firstSeq;
    let total = 0;
    for (const b of batches) {
      // A batch sent again from the spill repeats seqs already taken.
      if (b.chunks.firstSeq < end) continue;
      expect(b.chunks.firstSeq).toBe(end);
      end = b.chunks.firstSeq + chunkCount(b.chunks) + b.droppedChunks;
      total += chunkCount(b.chunks) + b.droppedChunks;
    }
    expect(kept + dropped.chunks).toBe(total);
    expect(dropped.chunks).toBeGreaterThan(MESSAGES);
  });
});
