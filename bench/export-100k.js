#!/usr/bin/env node
// The whole `export` path on a 100,000-event trace, phase by phase: what `trace-socket export`
// does after the run (sources gathered, markdown rendered, written atomically), with `--stable`,
// as `--format json`, and as `export --from trace.json` (read, validate, render). The trace is
// the built-in scenario's own (one real headless run) with its message step repeated, as in
// export-bench.mjs. Budget: the markdown export under 2 s.
//
//   node bench/export-100k.js [--events 100000] [--runs 3] [--json]
//
// Needs a build (`npx tsc -p .`). Exported: `measureExport100k(options)` for bench/run.js.
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL, fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { countEvents, seedTrace, synthesize } from "./export-bench.mjs";

const root = join(fileURLToPath(new URL(".", import.meta.url)), "..");
const load = (path) => import(pathToFileURL(join(root, "dist", path)).href);

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

async function time(fn) {
  const started = performance.now();
  const value = await fn();
  return { ms: performance.now() - started, value };
}

/**
 * Times each way of exporting a trace of `events` events; median of `runs`.
 * Returns `{ events, rows: [{ label, ms, bytes }], coldGatherMs }`.
 */
export async function measureExport100k({ events = 100_000, runs = 3, trace } = {}) {
  const [{ writeExport }, { readTraceFile }, { stabilize }, { gatherSources }, { renderMarkdown }] = await Promise.all([
    load("cli/export-command.js"),
    load("trace/trace-file.js"),
    load("export/stabilize.js"),
    load("export/gather-sources.js"),
    load("export/markdown.js"),
  ]);
  const big = trace ?? synthesize(await seedTrace(), events);
  const dir = mkdtempSync(join(tmpdir(), "trace-socket-export-100k-"));
  const cacheDir = join(dir, "cache");
  try {
    // The first gather builds the source index (ts-morph); a second export reads it from the cache.
    const cold = await time(() => gatherSources(big, { projectRoot: root, offline: true, cacheDir }));
    const cases = [
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
    const rows = [];
    for (const [label, run] of cases) {
      const times = [];
      let result;
      for (let i = 0; i < runs; i++) {
        const { ms, value } = await time(run);
        times.push(ms);
        result = value;
      }
      const bytes = result && typeof result === "object" && "bytes" in result ? result.bytes : undefined;
      rows.push({ label, ms: median(times), bytes });
    }
    return { events: countEvents(big), chunks: big.chunks.length, rows, coldGatherMs: cold.ms, traceFileBytes: statSync(join(dir, "trace.json")).size };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const { values } = parseArgs({ options: { events: { type: "string", default: "100000" }, runs: { type: "string", default: "3" }, json: { type: "boolean", default: false } } });
  const result = await measureExport100k({ events: Number(values.events), runs: Number(values.runs) });
  if (values.json) {
    console.log(JSON.stringify(result, null, 2));
  } else {
    console.log(`Export of a ${result.events.toLocaleString("en-US")}-event trace (${result.chunks.toLocaleString("en-US")} chunks), median of ${values.runs}:\n`);
    console.log("| phase | time | output |\n|---|---:|---:|");
    for (const row of result.rows) console.log(`| ${row.label} | ${Math.round(row.ms)} ms | ${row.bytes === undefined ? "" : `${(row.bytes / 1024 / 1024).toFixed(2)} MB`} |`);
    console.log(`\nFirst (cold) gathering of sources: ${Math.round(result.coldGatherMs)} ms; trace file: ${(result.traceFileBytes / 1024 / 1024).toFixed(1)} MB.`);
    const md = result.rows[0].ms;
    console.log(`Budget: markdown export ≤ 2000 ms: ${md <= 2000 ? "pass" : "FAIL"} (${Math.round(md)} ms).`);
    process.exitCode = md <= 2000 ? 0 : 1;
  }
}
