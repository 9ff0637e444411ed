import { describe, expect, it } from "vitest";
import { messagesByStep } from "../../src/export/text.js";
import { decodeChunks } from "../../src/wire/index.js";
import { connectionLine, connectionNames, shortAgent } from "../../src/wire/connection-names.js";
import { editorCommand } from "../../src/ui/editor-command.js";
import { applyFilter, describeFilter, kindOf, NO_FILTER } from "../../src/ui/frame-filter.js";
import { isHeartbeat, laneView } from "../../src/wire/heartbeat-lanes.js";
import { frameRow, size } from "../../src/ui/frame-lines.js";
import { hexLines, messageBytes } from "../../src/ui/hex-dump.js";
import { byTime } from "../../src/ui/log-pane.js";
import { splash } from "../../src/ui/screen.js";
import { laneCounts } from "../../src/ui/step-lane-view.js";
import { stepLines } from "../../src/ui/step-lines.js";
import { fixtureTrace } from "../helpers/trace-fixture.js";
import { heartbeatTrace } from "./heartbeat-fixture.js";

const trace = heartbeatTrace();
const messages = messagesByStep(trace);
const last = messages.get(2)!;

describe("the frame filter", () => {
  it("knows heartbeats and the kind of each message", () => {
    expect(last.map(isHeartbeat)).toEqual([false, false, true, true]);
    const probe = { ...last[2], layers: [{ kind: "engine.io" as const, packets: [{ type: 2, name: "ping", data: "probe" }] }] };
    expect(isHeartbeat(probe)).toBe(false);
    expect(messages.get(1)!.map(kindOf)).toEqual(["http", "engine.io", "http", "http"]);
    expect(last.map(kindOf)).toEqual(["socket.io", "socket.io", "engine.io", "engine.io"]);
  });

  it("hides ping/pong, keeps one direction, one connection, one kind, or a text", () => {
    expect(applyFilter(last, NO_FILTER)).toBe(last);
    expect(applyFilter(last, { ...NO_FILTER, hideHeartbeats: true }).map((m) => m.raw)).toEqual(['42["chat message","hi"]', '42["chat message","hi"]']);
    expect(applyFilter(last, { ...NO_FILTER, dir: "out" }).map((m) => m.raw)).toEqual(['42["chat message","hi"]', "2"]);
    const first = messages.get(1)!;
    expect(applyFilter(first, { ...NO_FILTER, conn: 2 })).toHaveLength(2);
    expect(applyFilter(first, { ...NO_FILTER, kind: "engine.io" }).map((m) => m.raw)).toEqual(["HTTP/1.1 200 OK"]);
    expect(applyFilter(first, { ...NO_FILTER, text: "WEBSOCKET" })).toHaveLength(1);
    expect(describeFilter({ hideHeartbeats: true, dir: "in", conn: 2, kind: "socket.io", text: "hi" }, (c) => `ws ${c}`)).toBe('no ping/pong, → read only, ws 2, socket.io only, "hi"');
  });
});

describe("connection names", () => {
  const names = connectionNames(decodeChunks(fixtureTrace().chunks));

  it("names each connection by transport and session id instead of c1, c2", () => {
    expect(names.get(1)).toMatchObject({ label: "poll abc123", transport: "polling", sid: "abc123" });
    expect(names.get(2)).toMatchObject({ label: "ws abc123", transport: "websocket", sid: "abc123" });
    expect(connectionLine(names.get(2), 2)).toBe("conn 2 · websocket · sid abc123");
    expect(connectionLine(undefined, 7)).toBe("conn 7");
  });

  it("shortens user agents to the client's name", () => {
    expect(shortAgent("Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/131.0.0.0 Safari/537.36")).toBe("Chrome 131");
    expect(shortAgent("node-XMLHttpRequest")).toBe("node");
    expect(shortAgent("curl/8.5.0")).toBe("curl");
    expect(shortAgent("Mozilla/5.0 AppleWebKit/537.36 Chrome/120.0 Safari/537.36 Edg/120.0")).toBe("Edge 120");
  });
});

describe("frame rows", () => {
  it("start with the time since the step began and the size, then direction and connection", () => {
    expect(frameRow(last[2], { name: "ws abc123", since: 200 })).toBe("+24.800    3B ← ws abc123 2");
    expect(frameRow(messages.get(1)![0])).toMatch(/^ \+0\.101 +\d+B → c1 GET \/socket\.io\/\?EIO=4&transport=polling HTTP\/1\.1$/);
    expect([size(999), size(1500), size(48_000), size(2_000_000)]).toEqual(["999B", "1.5K", "47K", "1.9M"]);
  });
});

describe("the hex dump", () => {
  it("dumps the captured bytes of a frame, sixteen to a row with their ASCII", () => {
    const { bytes } = messageBytes(trace.chunks, last[2]);
    expect([...bytes]).toEqual([0x81, 0x01, 0x32]);
    expect(hexLines(bytes)[0].text).toBe(`0000  81 01 32${" ".repeat(39)}  |..2|`);
    expect(hexLines(bytes, undefined, 51)[0].text).toBe(`0000  81 01 32${" ".repeat(15)}  |..2|`);
    const long = hexLines(new Uint8Array(40).fill(0x41), 32).map((l) => l.text);
    expect(long).toHaveLength(3);
    expect(long[1]).toMatch(/^0010  41 41/);
    expect(long[2]).toBe("… 8 more bytes not shown");
  });
});

describe("lanes of a step", () => {
  it("puts the ping/pong that came while the step was open in the background, and times only its own work", () => {
    const step = trace.steps[2];
    const lanes = laneView(step, last);
    expect(lanes.own.messages.map((m) => m.raw)).toEqual(['42["chat message","hi"]', '42["chat message","hi"]']);
    expect(lanes.background.calls.map((c) => c.seq)).toEqual([40, 41]);
    const counts = laneCounts(step, lanes);
    expect(counts).toMatchObject({ calls: 3, frames: 2, backgroundCalls: 2, backgroundFrames: 2 });
    // Call #31 at 31 ms to the frame at 106 ms; not the 30 s the step stayed open.
    expect(counts.workMs).toBe(75);
    const story = stepLines(2, step, undefined, counts, 200).map((l) => l.text);
    expect(story).toContain("own work 75 ms · 3 calls · 2 frames");
    expect(story.join("\n")).toMatch(/background while open \(29\.8 s\): 2 frames, 2 calls — heartbeats and what they set off · b shows them/);
  });

  it("keeps the first ping/pong exchange of a step without user code (the heartbeat) as its own work", () => {
    const { code: _code, ...step } = trace.steps[2];
    const lanes = laneView(step, [...last, ...last.slice(2)]);
    expect(lanes.own.messages.filter(isHeartbeat)).toHaveLength(2);
    expect(lanes.background.messages).toHaveLength(2);
  });
});

describe("the editor command", () => {
  it.each([
    ["vim", ["vim", ["+12", "a.js"]]],
    ["nano", ["nano", ["+12", "a.js"]]],
    ["emacs -nw", ["emacs", ["-nw", "+12", "a.js"]]],
    ["code --wait", ["code", ["--wait", "-g", "a.js:12"]]],
    ["/usr/bin/subl", ["/usr/bin/subl", ["a.js:12"]]],
  ])("opens a file at a line in %s", (editor, expected) => {
    expect(editorCommand(editor, "a.js", 12)).toEqual(expected);
  });

  it("has none without an editor", () => {
    expect(editorCommand(undefined, "a.js", 1)).toBeUndefined();
    expect(editorCommand("  ", "a.js", 1)).toBeUndefined();
  });
});

describe("small fixes", () => {
  it("sorts log lines by time, stably, and leaves sorted ones as they are", () => {
    const logs = [
      { time: 5, source: "stdout", text: "b" },
      { time: 2, source: "client", text: "a" },
      { time: 5, source: "debug", text: "c" },
    ] as const;
    expect(byTime(logs).map((l) => l.text)).toEqual(["a", "b", "c"]);
    const sorted = byTime(logs);
    expect(byTime(sorted)).toBe(sorted);
  });

  it("does not say a server is starting when replaying", () => {
    const replay = splash({ width: 80, height: 24 }, "chat", true);
    expect(replay).not.toMatch(/starting/);
    expect(replay).toContain("no server runs");
    expect(splash({ width: 80, height: 24 }, "chat")).toContain("starting the traced server");
  });
});
