// The whole `export` path on a 100,000-event trace, phase by phase: what `trace-socket export`
// does after the run (sources gathered, markdown rendered, written atomically), with `--stable`,
// as `--format json`, and as `export --from trace.json` (read, validate, render). The trace is
// the built-in scenario's own (one real headless run) with its message step repeated, as in
// export-bench.ts. Used by bench/run and by the bench/export-100k entry.
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { writeExport } from "../../src/cli/export-command.js";
import { gatherSources } from "../../src/export/gather-sources.js";
import { renderMarkdown } from "../../src/export/markdown.js";
import { stabilize } from "../../src/export/stabilize.js";
import { PACKAGE_ROOT } from "../../src/trace/scenario.js";
import { readTraceFile } from "../../src/trace/trace-file.js";
import type { Trace } from "../../src/trace/model.js";
import { countEvents, seedTrace, synthesize } from "./export-bench.js";
import { median } from "./stats.js";

const root = PACKAGE_ROOT;

/** Each way of exporting, timed: the median ms and the output's size. */
export interface Export100k {
  readonly events: number;
  readonly chunks: number;
  readonly rows: readonly { readonly label: string; readonly ms: number; readonly bytes: number | undefined }[];
  readonly coldGatherMs: number;
  readonly traceFileBytes: number;
}

async function time<T>(fn: () => T | Promise<T>): Promise<{ ms: number; value: T }> {
  const started = performance.now();
  const value = await fn();
  return { ms: performance.now() - started, value };
}

/**
 * Times each way of exporting a trace of `events` events; median of `runs`.
 */
export async function measureExport100k({ events = 100_000, runs = 3, trace }: { events?: number; runs?: number; trace?: Trace } = {}): Promise<Export100k> {
  const big = trace ?? synthesize(await seedTrace(), events);
  const dir = mkdtempSync(join(tmpdir(), "trace-socket-export-100k-"));
  const cacheDir = join(dir, "cache");
  try {
    // The first gather builds the source index (ts-morph); a second export reads it from the cache.
    const cold = await time(() => gatherSources(big, { projectRoot: root, offline: true, cacheDir }));
    const cases: [string, () => unknown][] = [
      ["markdown (export -o trace.md)", () => writeExport(big, { output: join(dir, "trace.md"), format: "md", stable: false, offline: true, projectRoot: root, cacheDir })],
      ["markdown, stable (export --stable)", () => writeExport(big, { output: join(dir, "stable.md"), format: "md", stable: true, offline: true, projectRoot: root, cacheDir })],
      ["trace file (export --format json)", () => writeExport(big, { output: join(dir, "trace.json"), format: "json", stable: false, offline: true, projectRoot: root, cacheDir })],
      ["read + validate trace.json", () => readTraceFile(join(dir, "trace.json"))],
      ["stabilize() alone", () => stabilize(big)],
      ["renderMarkdown() alone (sources gathered)", async () => renderMarkdown(big, cold.value)],
      [
        "markdown from the file (export --from trace.json)",
        async () => writeExport(await readTraceFile(join(dir, "trace.json")), { output: join(dir, "from.md"), format: "md", stable: false, offline: true, projectRoot: root, cacheDir }),
      ],
    ];
    const rows: Export100k["rows"][number][] = [];
    for (const [label, run] of cases) {
      const times: number[] = [];
      let result: unknown;
      for (let i = 0; i < runs; i++) {
        const { ms, value } = await time(run);
        times.push(ms);
        result = value;
      }
      const bytes = result && typeof result === "object" && "bytes" in result ? (result as { bytes: number }).bytes : undefined;
      rows.push({ label, ms: median(times), bytes });
    }
    return { events: countEvents(big), chunks: big.chunks.length, rows, coldGatherMs: cold.ms, traceFileBytes: statSync(join(dir, "trace.json")).size };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

