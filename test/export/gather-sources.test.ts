import { afterEach, describe, expect, it, vi } from "vitest";
import { PACKAGE_ROOT } from "../../src/trace/scenario.js";
import { chatTrace, FN } from "../fixtures/export/chat-trace.js";
import { REPORT_CACHE } from "./report-cache.js";

afterEach(() => {
  vi.doUnmock("../../src/source/index.js");
  vi.resetModules();
});

describe("gatherSources", () => {
  it("fills views, docs, licences and the scenario's narration extras from the source index", async () => {
    const { gatherSources } = await import("../../src/export/gather-sources.js");
    const sources = await gatherSources(chatTrace(), { projectRoot: PACKAGE_ROOT, offline: true, cacheDir: REPORT_CACHE });
    expect(sources.views.get(FN["Server.attach"])?.local.text).toBe("node_modules/socket.io/dist/index.js:224");
    expect(sources.views.has(FN["Socket._onclose"])).toBe(true);
    expect(sources.steps.get("init")?.methods).toContain("Server.attach");
    expect(sources.steps.get("init")?.flask).toMatch(/init_app/);
    expect(sources.options.get("pingInterval")?.documentedDefault).toBe("25000");
    expect(sources.licences.find((l) => l.name === "socket.io")?.licence).toBe("MIT");
    expect(sources.notes[0]).toMatch(/^Upstream permalinks: \d+ of \d+ library functions in the call paths\./);
  });

  it("degrades to local excerpts, and says so, when the source index cannot be loaded", async () => {
    vi.doMock("../../src/source/index.js", () => {
      throw new Error("ts-morph is missing");
    });
    const { gatherSources } = await import("../../src/export/gather-sources.js");
    const sources = await gatherSources(chatTrace(), { projectRoot: PACKAGE_ROOT, offline: true });
    const view = sources.views.get(FN["Server.attach"]);
    expect(view?.upstream).toEqual({ kind: "unavailable", reason: "no source index" });
    expect(view?.excerpt?.lines[0].number).toBe(224);
    expect(sources.licences).toEqual([]);
    expect(sources.notes[0]).toMatch(/^The source index was unavailable \(.+\): excerpts are read from the local files/);
  });
});
