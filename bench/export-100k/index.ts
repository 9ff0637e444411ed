#!/usr/bin/env node
// `node dist/bench/export-100k/index.js [--events 100000] [--runs 3] [--json]`: the export
// path on a large trace, alone (lib/export-100k.ts). Budget: the markdown export under 2 s.
import { pathToFileURL } from "node:url";
import { positiveNumber, readFlags } from "../lib/flags.js";
import { measureExport100k } from "../lib/export-100k.js";

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const values = readFlags({ events: { type: "string", default: "100000" }, runs: { type: "string", default: "3" }, json: { type: "boolean", default: false } });
  const result = await measureExport100k({ events: positiveNumber("events", values.events, 100_000), runs: positiveNumber("runs", values.runs, 3) });
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
