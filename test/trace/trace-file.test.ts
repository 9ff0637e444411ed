import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { jsonLines } from "../../src/export/json-lines.js";
import { countCalls } from "../../src/trace/call-tree.js";
import type { CallNode, Trace } from "../../src/trace/model.js";
import { parseTraceBytes, parseTraceFile, readTraceFile, serializeTrace, TraceFileError, writeTraceFile } from "../../src/trace/trace-file.js";
import { chatTrace } from "../fixtures/export/chat-trace.js";

const dir = mkdtempSync(join(tmpdir(), "trace-socket-trace-file-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const TRACE = chatTrace();
const TEXT = serializeTrace(TRACE);

/** Parses and returns the error message (failing the test when nothing is thrown or it is not a one-line TraceFileError). */
function problem(text: string | Uint8Array): string {
  try {
    if (typeof text === "string") parseTraceFile(text);
    else parseTraceBytes(text);
  } catch (error) {
    expect(error).toBeInstanceOf(TraceFileError);
    const message = (error as Error).message;
    expect(message).not.toContain("\n");
    return message;
  }
  throw new Error("expected a TraceFileError");
}

function edit(change: (document: Record<string, any>) => void): string {
  const document = JSON.parse(TEXT) as Record<string, any>;
  change(document);
  return JSON.stringify(document);
}

function deepChain(depth: number): CallNode {
  let node: CallNode = { seq: depth, fn: 0, start: 0, end: 0, children: [] };
  for (let i = depth - 1; i > 0; i--) node = { seq: i, fn: 0, start: 0, end: 0, children: [node] };
  return node;
}

describe("trace files", () => {
  it("round-trips a trace", () => {
    expect(parseTraceFile(TEXT)).toEqual(TRACE);
  });

  it("writes one JSON object with the schema name and version first, one record a line", () => {
    expect(TEXT.startsWith('{"schema":"trace-socket","version":2,\n"meta":')).toBe(true);
    expect(TEXT.split("\n").length).toBeGreaterThan(TRACE.chunks.length + TRACE.functions.length);
    expect(JSON.parse(TEXT)).toMatchObject({ schema: "trace-socket", version: 2 });
  });

  it("round-trips the cross-process links of a run of several (they were left out of the file)", () => {
    const links: Trace["links"] = [{ channel: "socket.io#/#", from: { process: "A", chunk: 3, call: 7, callBefore: true }, to: { process: "B", chunk: 4294967301, call: 4294967400, callEnd: 4294967420 } }];
    const text = serializeTrace({ ...TRACE, links });
    expect(parseTraceFile(text).links).toEqual(links);
    expect(parseTraceFile(TEXT)).not.toHaveProperty("links");
    const bad = JSON.parse(text) as Record<string, any>;
    bad.links[0].to.chunk = "4";
    expect(problem(JSON.stringify(bad))).toBe('links[0].to.chunk: expected an integer, got "4"');
  });

  it("round-trips the own-app flag that picks the report's lanes", () => {
    const own = { ...TRACE, meta: { ...TRACE.meta, ownApp: true as const } };
    expect(parseTraceFile(serializeTrace(own)).meta.ownApp).toBe(true);
  });

  it("round-trips a 50,000-deep call tree (JSON.stringify alone would overflow the stack)", () => {
    const trace: Trace = { ...TRACE, steps: [{ ...TRACE.steps[0], calls: [deepChain(50_000)] }, ...TRACE.steps.slice(1)] };
    const back = parseTraceFile(serializeTrace(trace));
    expect(countCalls(back.steps[0].calls)).toBe(50_000);
  });

  it("reads the JSON lines of --json too", () => {
    expect(parseTraceFile([...jsonLines(TRACE)].join("\n"))).toEqual(TRACE);
  });

  it("accepts a byte order mark", () => {
    expect(parseTraceBytes(Buffer.from(`\ufeff${TEXT}`))).toEqual(TRACE);
  });

  it("writes atomically and reads back", async () => {
    const file = join(dir, "trace.json");
    await writeTraceFile(file, TRACE);
    expect(await readTraceFile(file)).toEqual(TRACE);
  });

  describe("says in one line what is wrong", () => {
    it.each([
      ["an empty file", "", "empty file"],
      ["blank text", " \n\t ", "empty file"],
      ["another program's JSON", '{"name":"trace-socket","version":"0.1.0"}', "not a trace-socket trace (it has no schema field)"],
      ["a foreign schema", '{"schema":"har","version":1}', 'not a trace-socket trace (schema field is "har")'],
      ["a JSON list", "[1,2,3]", "not a trace-socket trace (the file holds a JSON list, not an object)"],
      ["a bare number", "42", "not a trace-socket trace (the file holds a JSON number, not an object)"],
      ["a newer version", '{"schema":"trace-socket","version":7}', "written by a newer trace-socket (schema version 7, this reads 2)"],
      ["version 0", '{"schema":"trace-socket","version":0}', "unreadable schema version 0 (this trace-socket reads 2)"],
      ["a text file", "hello, world", "not JSON at byte 0 (unexpected 'h')"],
    ])("%s", (_, text, message) => {
      expect(problem(text)).toBe(message);
    });

    it("a cut file, wherever it is cut (property)", () => {
      fc.assert(
        fc.property(fc.integer({ min: 1, max: TEXT.length - 2 }), (at) => {
          const cut = TEXT.slice(0, at);
          expect(problem(cut)).toMatch(new RegExp(`^not JSON \\(truncated\\?\\) at byte ${Buffer.byteLength(cut)}$|^not JSON at byte \\d+`));
        }),
        { numRuns: 200 },
      );
      expect(problem(TEXT.slice(0, 5000))).toBe("not JSON (truncated?) at byte 5000");
    });

    it("a cut JSON-lines stream", () => {
      const lines = [...jsonLines(TRACE)];
      expect(problem(lines.slice(0, 10).join("\n"))).toBe("JSON lines end before the dropped record (truncated?)");
      const text = `${lines.slice(0, 5).join("\n")}\n${lines[5].slice(0, 20)}`;
      expect(problem(text)).toBe(`line 6: not JSON (truncated?) at byte ${Buffer.byteLength(text)}`);
    });

    it("a syntax error in the middle, with its byte offset (not its character index)", () => {
      const text = TEXT.replace('"tool":"0.1.0"', '"tool":"é0.1.0",,');
      const at = Buffer.byteLength(text.slice(0, text.indexOf(",,") + 1));
      expect(problem(text)).toBe(`not JSON at byte ${at} (unexpected ',')`);
    });

    it.each([
      ["a missing top-level field", (d: any) => delete d.steps, "missing field steps"],
      ["a missing nested field", (d: any) => delete d.steps[1].calls[0].children[0].fn, "steps[1].calls[0].children[0]: missing field fn"],
      ["a wrong type", (d: any) => (d.functions[2].line = "224"), 'functions[2].line: expected an integer, got "224"'],
      ["a bad direction", (d: any) => (d.chunks[0].dir = "sideways"), 'chunks[0].dir: expected "in" or "out", got "sideways"'],
      ["bytes that are not base64", (d: any) => (d.chunks[3].data = "not base64!"), 'chunks[3].data: expected base64 bytes, got "not base64!"'],
      ["a call of an unknown function", (d: any) => (d.steps[0].calls[0].fn = 999), "steps[0].calls[0].fn: no function with id 999 in functions"],
      ["a step naming a chunk that is not there", (d: any) => d.steps[1].chunks.push(12345), "steps[1].chunks[11]: no chunk with seq 12345 in chunks"],
      ["meta of another version", (d: any) => (d.meta.version = 3), "meta.version: expected 2 (the file's version), got 3"],
      ["an own-app flag that is not true", (d: any) => (d.meta.ownApp = "yes"), 'meta.ownApp: expected true (or absent), got "yes"'],
      ["a list that is an object", (d: any) => (d.logs = {}), "logs: expected a list, got an object"],
      ["an unknown async kind", (d: any) => (d.steps[1].calls[1].async.kind = "fiber"), 'steps[1].calls[1].async.kind: expected promise, tick, timer, immediate, io, other, got "fiber"'],
    ])("%s", (_, change, message) => {
      expect(problem(edit(change))).toBe(message);
    });

    it("deep paths keep both ends", () => {
      const trace: Trace = { ...TRACE, steps: [{ ...TRACE.steps[0], calls: [deepChain(100)] }, ...TRACE.steps.slice(1)] };
      const text = serializeTrace(trace).replace('{"seq":100,"fn":0', '{"seq":100,"fn":-7');
      expect(problem(text)).toBe("steps[0].calls[0].children[0].children[0].children[0]…(182 more)…children[0].children[0].children[0].children[0].children[0].fn: no function with id -7 in functions");
    });

    it.each([
      ["binary data", Uint8Array.from([0x7b, 0x00, 0x01, 0x02]), "not a text file (binary data at byte 1)"],
      ["gzip", gzipSync(TEXT), "gzip-compressed: decompress it first (gunzip)"],
      ["invalid UTF-8", Uint8Array.from([0x7b, 0x22, 0xff, 0x22, 0x7d]), "not a text file (invalid UTF-8 at byte 2)"],
      ["a character cut by the end of the file", Buffer.from(`{"x":"é`).subarray(0, 7), "not JSON (truncated?) at byte 6"],
    ])("%s", (_, bytes, message) => {
      expect(problem(bytes)).toBe(message);
    });

    it("file-system problems", async () => {
      await expect(readTraceFile(join(dir, "missing.json"))).rejects.toThrow(new TraceFileError("no such file"));
      await expect(readTraceFile(dir)).rejects.toThrow(new TraceFileError("it is a folder, not a trace file"));
      const foreign = join(dir, "foreign.json");
      writeFileSync(foreign, '{"schema":"trace-socket","version":99}');
      await expect(readTraceFile(foreign)).rejects.toThrow("written by a newer trace-socket (schema version 99, this reads 2)");
    });
  });
});

describe("JSON lines (--json)", () => {
  it("stream call trees of any depth, and read back as a trace file", () => {
    const trace: Trace = { ...TRACE, steps: [{ ...TRACE.steps[0], calls: [deepChain(50_000)] }, ...TRACE.steps.slice(1)] };
    const lines = [...jsonLines(trace)];
    expect(lines.map((l) => JSON.parse(l).type)).toEqual(["meta", ...trace.functions.map(() => "function"), ...trace.connections.map(() => "connection"), ...trace.chunks.map(() => "chunk"), ...trace.steps.map(() => "step"), ...trace.logs.map(() => "log"), "dropped"]);
    expect(countCalls(parseTraceFile(lines.join("\n")).steps[0].calls)).toBe(50_000);
  });
});
