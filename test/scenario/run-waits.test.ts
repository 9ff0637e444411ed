/**
 * Waits on the wire last as long as the live server's heartbeat says (its
 * open packet's pingInterval + pingTimeout, read from a recorded run's
 * decoded bytes), never less than the client's own window, and longer while
 * the run works; when one gives up, its note says after how long and why,
 * from the values it had, not from a fixed "10 s".
 */
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { FromPython } from "../../src/runtime/python/protocol.js";
import { TracerFeed } from "../../src/runtime/python/tracer-feed.js";
import { Collector } from "../../src/runtime/collector.js";
import { DecodedMessages } from "../../src/scenario/decoded-messages.js";
import { heartbeatOf, MIN_WIRE_WAIT_MS, waitForFrame, waitOnWire, wirePatience } from "../../src/scenario/run-waits.js";
import { PACKAGE_ROOT } from "../../src/trace/scenario.js";
import type { WireMessage } from "../../src/wire/types.js";
import { replayRecording } from "../helpers/run-recording.js";

/** An outgoing message carrying one engine.io open packet with `data`. */
function opened(data: string): WireMessage {
  return { dir: "out", time: 0, layers: [{ kind: "engine.io", packets: [{ name: "open", data }] }] } as unknown as WireMessage;
}

describe("the heartbeat a wait follows", () => {
  it("is read from the open packet of a recorded run, as the wire tells it", () => {
    let feed: TracerFeed | undefined;
    const { collector } = replayRecording<FromPython>(join(PACKAGE_ROOT, "test/fixtures/runs/chat-flask.jsonl"), (c, m) => (feed ??= new TracerFeed(c)).ingest(m));
    const messages = new DecodedMessages(collector).completed();
    // The Flask chat asks ping_interval=1.5, ping_timeout=3; python-engineio's open packet announces 1000 and 3000.
    expect(heartbeatOf(messages)).toEqual({ pingInterval: 1000, pingTimeout: 3000 });
    // 4 s is less than the client's own window: that one holds, and the note says both.
    const { patience, basis } = wirePatience(messages);
    expect(patience.idleMs).toBe(MIN_WIRE_WAIT_MS);
    expect(basis).toContain("the server's pingInterval + pingTimeout, 4 s");
  });

  it("lasts the whole heartbeat when it is longer than the client's window; engine.io's defaults when no open packet was seen", () => {
    const long = wirePatience([opened('{"sid":"x","pingInterval":60000,"pingTimeout":20000}')]);
    expect(long.patience.idleMs).toBe(80_000);
    expect(long.basis).toContain("80 s");
    // The latest connection's open packet is the one in force; a malformed one tells nothing.
    expect(heartbeatOf([opened('{"pingInterval":60000,"pingTimeout":20000}'), opened('{"pingInterval":1000,"pingTimeout":500}'), opened("{broken")])).toEqual({ pingInterval: 1000, pingTimeout: 500 });
    const none = wirePatience([]);
    expect(none.patience.idleMs).toBe(45_000);
    expect(none.basis).toContain("no open packet seen");
  });
});

describe("a wait that gives up says why, from its own values", () => {
  const collector = (): Collector => new Collector(0);

  it("an idle run: after one window, the note naming that window", async () => {
    const c = collector();
    const decoded = new DecodedMessages(c);
    const end = await waitOnWire(c, decoded, 0, "pong", () => {}, () => false, { idleMs: 100, cpuMs: () => 0 });
    expect(end.seen).toBe(false);
    if (!end.seen) expect(end.note).toMatch(/^after 0\.\d s \(nothing of the run has used the CPU for 0\.1 s; windows of 0\.1 s\)$/);
  });

  it("a run at work: kept waiting past its idle window, up to the ceiling", async () => {
    const c = collector();
    const decoded = new DecodedMessages(c);
    const started = Date.now();
    // A CPU meter that always moves: every window has work, so only the ceiling ends the wait.
    const end = await waitForFrame(decoded, 0, { dir: "in", raw: "never" }, () => {}, () => false, { idleMs: 50, ceilingMs: 300, cpuMs: () => (Date.now() - started) * 10 });
    expect(Date.now() - started).toBeGreaterThanOrEqual(300);
    expect(end.seen).toBe(false);
    if (!end.seen) expect(end.note).toContain("no answer in 0.3 s, though it was busy");
  });

  it("a close is the clients' connections closing: one the server opened itself (an adapter's Redis) stays open and is not waited on", async () => {
    const c = collector();
    c.connections.set(1, { id: 1, remote: "127.0.0.1:6379", local: "127.0.0.1:50000", opened: 0, outgoing: true });
    c.connections.set(2, { id: 2, remote: "127.0.0.1:50001", local: "127.0.0.1:3000", opened: 1, closed: 5 });
    const patience = { idleMs: 60_000, ceilingMs: 60_000 };
    expect(await waitOnWire(c, new DecodedMessages(c), 0, "close", () => {}, () => false, patience)).toEqual({ seen: true });
    // A client's connection still open is waited on.
    c.connections.set(3, { id: 3, remote: "127.0.0.1:50002", local: "127.0.0.1:3000", opened: 2 });
    const end = await waitOnWire(c, new DecodedMessages(c), 0, "close", () => {}, () => false, { idleMs: 100, cpuMs: () => 0 });
    expect(end.seen).toBe(false);
  });

  it("what it waits for ends it at once: a dead process counts as seen", async () => {
    const c = collector();
    const end = await waitOnWire(c, new DecodedMessages(c), 0, "pong", () => {}, () => true, { idleMs: 60_000 });
    expect(end).toEqual({ seen: true });
  });
});
