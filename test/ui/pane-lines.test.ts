import { describe, expect, it } from "vitest";
import { messagesByStep } from "../../src/export/text.js";
import type { SourceView } from "../../src/source/types.js";
import { frameDetailLines, frameRow } from "../../src/ui/frame-lines.js";
import { sourceLines } from "../../src/ui/source-lines.js";
import { stepLines } from "../../src/ui/step-lines.js";
import { ATTACH_VIEW, fixtureTrace, FN } from "../helpers/trace-fixture.js";

const trace = fixtureTrace();
const attach = trace.functions[FN["Server.attach"]];
const node = trace.steps[0].calls[0].children[1];

describe("sourceLines", () => {
  it("shows name, local link and, until describe answers, that the source is loading", () => {
    const lines = sourceLines(attach, node, "loading", 60);
    expect(lines.map((l) => l.text)).toEqual(["Server.attach", expect.stringContaining("method · socket.io@4.8.1 · call #4"), "node_modules/socket.io/dist/index.js:224", "loading the source…"]);
  });

  it("numbers the excerpt, marks the declaration that ran, and counts what was left out", () => {
    const lines = sourceLines(attach, node, ATTACH_VIEW, 60);
    const texts = lines.map((l) => l.text);
    const decl = lines.find((l) => l.tone === "decl");
    expect(decl?.text).toBe("▶ 224 │     attach(srv, opts = {}) {");
    expect(texts).toContain("  225 │   if (typeof srv === \"function\") {");
    expect(texts).toContain("      ┆ … 24 lines left out");
    expect(texts).toContain("  250 │     }");
  });

  it("gives the permalink whole, wrapped, and the library's doc comment", () => {
    const styled = sourceLines(attach, node, ATTACH_VIEW, 40);
    const lines = styled.map((l) => l.text);
    const url = ATTACH_VIEW.upstream.kind === "permalink" ? ATTACH_VIEW.upstream.url : "";
    const start = lines.findIndex((l) => url.startsWith(l));
    expect(lines.slice(start, start + 3).join("")).toBe(url);
    expect(lines).toContain("From the library:");
    expect(lines).toEqual(expect.arrayContaining(["  Attaches socket.io to a server or", "  port."]));
    expect(lines).toContain("  @param srv - server or port");
    expect(lines).toContain("    io.attach(server);");
    // Prose wraps here; code is left whole for the pane to cut.
    for (const line of styled.filter((l) => l.tone !== "code" && l.tone !== "decl")) expect(line.text.length).toBeLessThanOrEqual(40);
  });

  it("says why there is no permalink, and shows the index's notes", () => {
    const view: SourceView = { ...ATTACH_VIEW, upstream: { kind: "unavailable", reason: "offline" }, notes: ["cannot read x.js"] };
    const texts = sourceLines(attach, node, view, 60).map((l) => l.text);
    expect(texts).toContain("no upstream permalink: offline");
    expect(texts).toContain("note: cannot read x.js");
  });

  it("names an async continuation's origin", () => {
    const continuation = trace.steps[1].calls[1];
    const texts = sourceLines(trace.functions[continuation.fn], continuation, undefined, 60).map((l) => l.text);
    expect(texts).toContain("async continuation: io scheduled by call #23");
  });
});

describe("frame lines", () => {
  const messages = messagesByStep(trace);

  it("lists a frame by time, size, direction, connection and text", () => {
    expect(messages.get(1)!.map((m) => frameRow(m, { since: 100 }))).toEqual([
      " +0.001   69B → c1 GET /socket.io/?EIO=4&transport=polling HTTP/1.1",
      " +0.002  185B ← c1 HTTP/1.1 200 OK",
      " +0.003  195B → c2 GET /socket.io/?EIO=4&transport=websocket&sid=abc123 HTTP/1.1",
      " +0.004  129B ← c2 HTTP/1.1 101 Switching Protocols",
    ]);
  });

  it("decodes the selected frame layer by layer: transport, Engine.IO, Socket.IO", () => {
    const lines = frameDetailLines(messages.get(2)![0], 60).map((l) => l.text);
    expect(lines[0]).toBe("conn 2 · client → server · 29 B · t+0.105 s · call #31 (g:");
    expect(lines.find((l) => l.startsWith("transport"))).toMatch(/^transport WebSocket text frame, FIN, masked 37fa213d/);
    expect(lines.find((l) => l.startsWith("Engine.IO"))).toBe('Engine.IO message 2["chat message","hi"]');
    expect(lines.find((l) => l.startsWith("Socket.IO"))).toBe('Socket.IO EVENT, nsp / ["chat message","hi"]');
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(60);
  });

  it("lists HTTP headers under the transport layer", () => {
    const lines = frameDetailLines(messages.get(1)![0], 80).map((l) => l.text);
    expect(lines).toContain("          Host: 127.0.0.1");
  });
});

describe("stepLines", () => {
  it("gives the step's user code, narration and counts", () => {
    const counts = { calls: 4, frames: 0, backgroundCalls: 0, backgroundFrames: 0, workMs: 6.5, openMs: 1999 };
    const texts = stepLines(0, trace.steps[0], { id: "init", title: "init" }, counts, 50).map((l) => l.text);
    expect(texts.slice(0, 3)).toEqual(["1. init: new Server(httpServer, options)", "traces/chat/server.mjs:20 (server)", "const io = new Server(httpServer);"]);
    expect(texts).toContain("Explanation of init.");
    expect(texts.at(-1)).toBe("own work 6.5 ms · 4 calls · 0 frames");
  });

  it("says a planned step has not run yet", () => {
    expect(stepLines(3, undefined, { id: "heartbeat", title: "heartbeat" }, undefined, 50).map((l) => l.text)).toEqual(["4. heartbeat", "Not run yet: press → to run it live."]);
  });

  it("shows the listener take-over before → after", () => {
    const step = { ...trace.steps[0], listeners: { before: { request: ["app"] }, after: { request: ["engine"], upgrade: ["ws"] } } };
    const texts = stepLines(0, step, undefined, undefined, 60).map((l) => l.text);
    expect(texts).toEqual(expect.arrayContaining(["request: app", "  → engine", "upgrade: (none)", "  → ws"]));
  });
});
