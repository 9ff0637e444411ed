/**
 * A turn the traced process sent as a repeat of a known shape, untimed, that the trace holds as a
 * whole call tree (its step had no turn of that shape whole) has the sample's per-call times: the
 * text and the report say so once, the trace file keeps the count, and a bad count is refused.
 */
import { describe, expect, it } from "vitest";
import { renderText } from "../../src/export/text.js";
import { renderMarkdown } from "../../src/export/markdown.js";
import { NO_SOURCES } from "../../src/export/report-sources.js";
import { parseTraceFile, serializeTrace } from "../../src/trace/trace-file.js";
import type { Trace } from "../../src/trace/model.js";
import { fixtureTrace } from "../helpers/trace-fixture.js";

const sampled = (n: number): Trace => ({ ...fixtureTrace(), meta: { ...fixtureTrace().meta, sampledTurns: n } });

describe("per-call times sampled", () => {
  it("is said in the text and in the report when the trace has such turns, and not otherwise", () => {
    expect(renderText(sampled(1234), { color: false })).toContain("per-call times sampled: 1,234 turns came from the traced process as a repeat of a known shape");
    expect(renderMarkdown(sampled(1), NO_SOURCES)).toContain("- per-call times sampled: 1 turn came from the traced process");
    expect(renderText(fixtureTrace(), { color: false })).not.toContain("per-call times sampled");
    expect(renderMarkdown(fixtureTrace(), NO_SOURCES)).not.toContain("per-call times sampled");
  });

  it("round-trips through a trace file, and a count that is not a positive integer is refused by name", () => {
    expect(parseTraceFile(serializeTrace(sampled(7))).meta.sampledTurns).toBe(7);
    const bad = serializeTrace(sampled(7)).replace('"sampledTurns":7', '"sampledTurns":-1');
    expect(() => parseTraceFile(bad)).toThrow(/sampledTurns/);
  });
});
