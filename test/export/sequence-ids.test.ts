/**
 * The report diagram's participant ids are short lane ordinals (`C1`, `C2`), not a lane's first
 * connection id: in a trace of several processes those carry their process's offset (2³² × id),
 * and `participant C4294967297` made the diagram's source unreadable. The label still names
 * the connection as its process numbers it (`B conn 1`).
 */
import { describe, expect, it } from "vitest";
import { renderMarkdown } from "../../src/export/markdown.js";
import { PROCESS_ID_STRIDE } from "../../src/trace/model-meta.js";
import type { Trace } from "../../src/trace/model.js";
import { chatSources, chatTrace } from "../fixtures/export/chat-trace.js";
import { lintMarkdown } from "./markdown-check.js";

function diagram(md: string): string {
  const start = md.indexOf("```mermaid");
  return md.slice(start, md.indexOf("```", start + 3));
}

/** The chat fixture as if its server were process B of two (A traced nothing on the wire). */
function onServerB(): Trace {
  const trace = chatTrace();
  const shift = (conn: number): number => conn + PROCESS_ID_STRIDE;
  return {
    ...trace,
    meta: { ...trace.meta, processes: [{ id: 0, name: "A" }, { id: 1, name: "B" }] } as Trace["meta"],
    connections: trace.connections.map((c) => ({ ...c, id: shift(c.id), process: 1 })),
    chunks: trace.chunks.map((c) => ({ ...c, conn: shift(c.conn) })),
  };
}

describe("the diagram's participant ids", () => {
  it("are lane ordinals in a trace of several processes, with the connection named as its process numbers it", async () => {
    const trace = onServerB();
    const md = renderMarkdown(trace, chatSources(trace), { linkBase: "../.." });
    const drawn = diagram(md);
    expect(drawn).toMatch(/^ {4}participant C1 as client 1 · sid \S+ \(HTTP long-polling, WebSocket\)$/m);
    expect(drawn).toContain("    C1->>S1: B conn 1 · GET polling");
    expect(drawn).toContain("    S1-->>C1: B conn 4 · 101 Switching Protocols");
    expect(drawn).toMatch(/ {4}Note over C1,S1: Step 2 · connect/);
    // No id of a process's offset anywhere in the diagram's source.
    expect(drawn).not.toMatch(/\bC\d{3,}\b/);
    expect(await lintMarkdown(md)).toEqual([]);
  });
});
