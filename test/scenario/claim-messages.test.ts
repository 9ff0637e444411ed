/**
 * The messages a run's claims are read against: while the run goes on, the
 * runner's own decode (nothing decoded again per poll), with a second
 * process's ids moved into the trace's as assembly moves its chunks; at the
 * end, one decode of the whole capture per capture, not per poll.
 */
import { join } from "node:path";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { Collector } from "../../src/runtime/collector.js";
import { DecodedMessages } from "../../src/scenario/decoded-messages.js";
import { ClaimMessages } from "../../src/scenario/claim-messages.js";
import { PACKAGE_ROOT } from "../../src/trace/scenario.js";
import { PROCESS_ID_STRIDE, type Chunk } from "../../src/trace/model.js";
import { decodeChunks } from "../../src/wire/index.js";
import { tapBatch, type RecordedEvent, type TapRecord } from "../helpers/run-recording.js";

const FIXTURE = join(PACKAGE_ROOT, "test/fixtures/runs/chat-flask.jsonl");

/** A process that saw the fixture's whole capture: its collector and its decode. */
function process(id: number): { id: number; collector: Collector; decoded: DecodedMessages } {
  const collector = new Collector(0);
  for (const line of readFileSync(FIXTURE, "utf8").split("\n").filter(Boolean)) {
    const event = JSON.parse(line) as RecordedEvent<unknown>;
    if (event.k === "tap") collector.addTap(tapBatch(event.b as TapRecord));
  }
  return { id, collector, decoded: new DecodedMessages(collector) };
}

/** The trace's chunks of two processes, as assembly moves the second one's ids. */
function traceChunks(a: Collector, b: Collector): Chunk[] {
  const off = (n: number): number => n + PROCESS_ID_STRIDE;
  const moved = b.chunkModels().map((c) => ({ ...c, seq: off(c.seq), conn: off(c.conn), ...(c.call !== undefined ? { call: off(c.call) } : {}), ...(c.callEnd !== undefined ? { callEnd: off(c.callEnd) } : {}), process: 1 }));
  return [...a.chunkModels(), ...moved].sort((x, y) => x.time - y.time);
}

const shown = (m: { conn: number; firstChunk: number; lastChunk: number; call?: number; dir: string; raw: string }) => [m.conn, m.firstChunk, m.lastChunk, m.call ?? null, m.dir, m.raw];

describe("the messages the claims read", () => {
  it("while the run goes on, one process: the runner's decoded list itself, not a decode of the trace's chunks", () => {
    const a = process(0);
    const messages = new ClaimMessages().of([a], a.collector.chunkModels(), false);
    expect(messages).toBe(a.decoded.completed());
  });

  it("while the run goes on, two processes: what the trace's chunks decode to, the second's ids moved, each message moved once", () => {
    const a = process(0);
    const b = process(1);
    const claims = new ClaimMessages();
    const chunks = traceChunks(a.collector, b.collector);
    const live = claims.of([a, b], chunks, false);
    expect(live.map(shown)).toEqual(decodeChunks(chunks).map(shown));
    expect(live.some((m) => m.conn >= PROCESS_ID_STRIDE)).toBe(true);
    const again = claims.of([a, b], chunks, false);
    expect(again.every((m, i) => m === live[i])).toBe(true);
  });

  it("at the end: the whole capture decoded once, again only when chunks arrived", () => {
    const a = process(0);
    const claims = new ClaimMessages();
    const chunks = a.collector.chunkModels();
    const final = claims.of([a], chunks, true);
    expect(final.map(shown)).toEqual(decodeChunks(chunks).map(shown));
    // A poll's trace is a new object with a new chunk list: the same capture is not decoded again.
    expect(claims.of([a], [...chunks], true)).toBe(final);
    expect(claims.of([a], chunks.slice(0, -1), true)).not.toBe(final);
  });
});
