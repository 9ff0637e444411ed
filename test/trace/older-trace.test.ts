/**
 * A trace file written before several processes (schema version 1: one
 * process, no `process` fields) still loads, as the trace of one process.
 * The file was written by the version-1 writer from the recorded chat.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { SCHEMA_VERSION } from "../../src/trace/model.js";
import { PACKAGE_ROOT } from "../../src/trace/scenario.js";
import { parseTraceFile } from "../../src/trace/trace-file.js";

const TEXT = gunzipSync(readFileSync(join(PACKAGE_ROOT, "test/fixtures/traces/chat-v1.json.gz"))).toString("utf8");

describe("a version-1 trace file", () => {
  it("is older than this schema and still loads, whole", () => {
    expect(TEXT.startsWith('{"schema":"trace-socket","version":1,')).toBe(true);
    expect(SCHEMA_VERSION).toBeGreaterThan(1);
    const trace = parseTraceFile(TEXT);
    expect(trace.meta.version).toBe(1);
    expect(trace.meta.processes).toBeUndefined();
    expect(trace.steps.length).toBeGreaterThan(5);
    expect(trace.steps[0].calls.length).toBeGreaterThan(0);
    expect(trace.chunks.length).toBeGreaterThan(0);
    expect(trace.chunks.every((c) => c.process === undefined)).toBe(true);
  });
});
