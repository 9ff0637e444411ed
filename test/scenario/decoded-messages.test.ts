/**
 * The runner's decoded messages: each chunk decoded once, as it arrives, and
 * the result the same as decoding the whole capture at the end.
 */
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { FromPython } from "../../src/runtime/python/protocol.js";
import { TracerFeed } from "../../src/runtime/python/tracer-feed.js";
import { Collector } from "../../src/runtime/collector.js";
import { DecodedMessages } from "../../src/scenario/decoded-messages.js";
import { PACKAGE_ROOT } from "../../src/trace/scenario.js";
import { decodeChunks } from "../../src/wire/index.js";
import { replayRecording, tapBatch, type RecordedEvent, type TapRecord } from "../helpers/run-recording.js";
import { readFileSync } from "node:fs";

const FIXTURE = join(PACKAGE_ROOT, "test/fixtures/runs/chat-flask.jsonl");

describe("decoded messages", () => {
  it("decoded batch by batch, equal the whole capture decoded at once", () => {
    const taps = readFileSync(FIXTURE, "utf8")
      .split("\n")
      .filter(Boolean)
      .map((line) => JSON.parse(line) as RecordedEvent<unknown>)
      .flatMap((e) => (e.k === "tap" ? [e.b as TapRecord] : []));
    expect(taps.length).toBeGreaterThan(3);
    const collector = new Collector(0);
    const decoded = new DecodedMessages(collector);
    const sizes: number[] = [];
    for (const tap of taps) {
      collector.addTap(tapBatch(tap));
      sizes.push(decoded.completed().length);
    }
    // Messages only ever join: what a poll saw stays the same for the next one.
    expect(sizes).toEqual([...sizes].sort((a, b) => a - b));
    const whole = decodeChunks(collector.chunkModels());
    expect(decoded.completed().map((m) => [m.firstChunk, m.dir, m.raw])).toEqual(whole.map((m) => [m.firstChunk, m.dir, m.raw]));
  });

  it("returns the same list without decoding when nothing new arrived", () => {
    let feed: TracerFeed | undefined;
    const { collector } = replayRecording<FromPython>(FIXTURE, (c, m) => (feed ??= new TracerFeed(c)).ingest(m));
    const decoded = new DecodedMessages(collector);
    const first = decoded.completed();
    expect(first.length).toBeGreaterThan(0);
    expect(decoded.completed()).toBe(first);
  });
});
