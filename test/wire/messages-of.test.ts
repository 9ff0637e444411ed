/**
 * A trace's chunks are decoded once: every reader in src/ goes through
 * messagesOf, which gives the same decode for the same chunk list and a new
 * one for a new list (a trace changed is a new trace).
 */
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { PACKAGE_ROOT } from "../../src/trace/scenario.js";
import { decodeChunks, messagesOf } from "../../src/wire/decode-chunks.js";
import { chatTrace } from "../fixtures/export/chat-trace.js";

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? sources(join(dir, e.name)) : /\.tsx?$/.test(e.name) ? [join(dir, e.name)] : []));
}

describe("messagesOf", () => {
  it("decodes a chunk list once, the same messages as decodeChunks, and a new list anew", () => {
    const trace = chatTrace();
    const first = messagesOf(trace.chunks);
    expect(first.length).toBeGreaterThan(0);
    expect(messagesOf(trace.chunks)).toBe(first);
    expect(first.map((m) => [m.firstChunk, m.dir, m.raw])).toEqual(decodeChunks(trace.chunks).map((m) => [m.firstChunk, m.dir, m.raw]));
    const fewer = trace.chunks.slice(0, 1);
    expect(messagesOf(fewer)).not.toBe(first);
    expect(messagesOf(fewer).length).toBeLessThan(first.length);
  });

  it("is the only way src/ decodes a trace's chunks", () => {
    const src = join(PACKAGE_ROOT, "src");
    const own = join(src, "wire/decode-chunks.ts");
    const callers = sources(src).filter((f) => f !== own && /\bdecodeChunks\(/.test(readFileSync(f, "utf8").replace(/^\s*\*.*$/gm, "")));
    expect(callers.map((f) => relative(src, f))).toEqual([]);
  });
});
