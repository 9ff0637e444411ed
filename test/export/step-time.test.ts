import { describe, expect, it } from "vitest";
import { renderMarkdown } from "../../src/export/markdown.js";
import { NO_SOURCES } from "../../src/export/report-sources.js";
import { renderText } from "../../src/export/text.js";
import { heartbeatTrace } from "../ui/heartbeat-fixture.js";

// Step 3 of the fixture did 75 ms of work (call #31 at 31 ms to its last frame at 106 ms),
// then stayed open until 30 s while a heartbeat came and went: a reader's pause, not its work.
const trace = heartbeatTrace();

describe("a step's time in the report and the text output", () => {
  it("is its own work, not the time it stayed open", () => {
    const step = trace.steps[2];
    expect(step.ended - step.started).toBeGreaterThan(29_000);
    const md = renderMarkdown(trace, NO_SOURCES, {});
    const section = md.slice(md.indexOf("\n## Step 3"));
    const summary = section.split("\n")[3];
    expect(summary).toMatch(/ · 75 ms of own work$/);
    expect(md).not.toMatch(/\b(29|30),\d{3} ms/);
    const text = renderText(trace);
    const stepText = text.slice(text.indexOf("━━ Step 3/3"));
    expect(stepText).toMatch(/\n {2}calls {3}5 calls · 75 ms of own work\n/);
  });

  it("says no time for a step without work of its own, and none in the stable report", () => {
    const idle = { ...trace, steps: trace.steps.map((s) => ({ ...s, calls: [], chunks: [] })), chunks: [] };
    expect(renderText(idle)).not.toMatch(/of own work/);
    expect(renderMarkdown(trace, NO_SOURCES, { stable: true })).not.toMatch(/of own work/);
  });
});
