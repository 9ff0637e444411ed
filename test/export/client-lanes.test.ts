/**
 * The report's diagram for a user's own app: a lane per client (its Engine.IO session), however
 * many connections it used — the polling requests and the WebSocket it upgraded to are one
 * participant named with both transports — while the built-in scenarios keep a lane per connection.
 */
import { describe, expect, it } from "vitest";
import { clientLanes } from "../../src/export/client-lanes.js";
import { renderMarkdown } from "../../src/export/markdown.js";
import { decodeChunks } from "../../src/wire/index.js";
import type { Trace } from "../../src/trace/model.js";
import { chatSources, chatTrace } from "../fixtures/export/chat-trace.js";
import { lintMarkdown } from "./markdown-check.js";

/** The chat fixture as a trace of the user's own app says it is one (`meta.ownApp`). */
function ownApp(trace: Trace = chatTrace()): Trace {
  return { ...trace, meta: { ...trace.meta, ownApp: true } };
}

function diagram(md: string): string {
  return md.slice(md.indexOf("```mermaid"), md.indexOf("```", md.indexOf("```mermaid") + 3));
}

describe("the diagram's lane per client, for your own app", () => {
  it("groups a client's connections by its session, in the order it used them", () => {
    const trace = chatTrace();
    const groups = clientLanes(decodeChunks(trace.chunks));
    // The chat fixture's one client: polling on conns 1–3, then the WebSocket on conn 4.
    expect(groups).toEqual([{ sid: expect.any(String), conns: [1, 2, 3, 4] }]);
  });

  it("draws one participant for the client, with its transports, each message saying its connection", async () => {
    const trace = ownApp();
    const md = renderMarkdown(trace, chatSources(trace), { linkBase: "../.." });
    const drawn = diagram(md);
    const sid = clientLanes(decodeChunks(trace.chunks))[0].sid!;
    expect(drawn).toContain(`    participant C1 as client 1 · sid ${sid} (HTTP long-polling, WebSocket)\n`);
    expect(drawn.match(/participant C/g)).toHaveLength(1);
    expect(drawn).toContain("    C1->>S: conn 1 · GET polling");
    expect(drawn).toContain("    C1->>S: conn 4 · GET websocket (Upgrade)");
    expect(drawn).toContain("    S-->>C1: conn 4 · 101 Switching Protocols");
    expect(drawn).not.toMatch(/C[234]->>S|S-->>C[234]/);
    expect(await lintMarkdown(md)).toEqual([]);
  });

  it("a connection the server opened to Redis is a Redis lane, not a client", () => {
    const base = chatTrace();
    const last = base.steps[base.steps.length - 1];
    const seq = Math.max(...base.chunks.map((c) => c.seq)) + 1;
    const resp = (n: number, dir: "in" | "out", text: string) => ({ seq: seq + n, conn: 9, dir, time: last.started + 1 + n, data: Buffer.from(text).toString("base64"), size: text.length });
    const trace = ownApp({
      ...base,
      chunks: [...base.chunks, resp(0, "out", "*1\r\n$4\r\nPING\r\n"), resp(1, "in", "+PONG\r\n")],
      steps: base.steps.map((step) => (step === last ? { ...step, chunks: [...step.chunks, seq, seq + 1] } : step)),
    });
    const drawn = diagram(renderMarkdown(trace, chatSources(trace), { linkBase: "../.." }));
    expect(drawn).toContain("    participant C2 as Redis · conn 9\n");
    expect(drawn).toMatch(/ {4}S-->>C2: .*PING/);
    expect(drawn).not.toContain("client · conn 9");
  });

  it("a built-in scenario keeps a lane per connection, with its title or without", () => {
    const trace = chatTrace();
    const { scenarioTitle: _, ...untitled } = chatSources(trace);
    for (const sources of [chatSources(trace), untitled]) {
      const drawn = diagram(renderMarkdown(trace, sources, { linkBase: "../.." }));
      expect(drawn).toContain("    participant C1 as client · conn 1 (HTTP long-polling)\n");
      expect(drawn).toContain("    participant C4 as client · conn 4 (WebSocket)\n");
      expect(drawn).not.toContain("· sid ");
    }
  });
});
