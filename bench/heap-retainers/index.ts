#!/usr/bin/env node
// Who holds the concatenated strings (V8 ConsStrings) of a heap snapshot, summed by retainer
// path (bench/lib/cons-owners.ts; issue 18):
//
//   node --max-old-space-size=4096 dist/bench/heap-retainers/index.js FILE.heapsnapshot [--top 20] [--json]
//
// FILE from the flood: `FLOOD_HEAP_SNAPSHOT=/tmp/x.heapsnapshot node dist/bench/flood/index.js --seconds 3`.
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { heapGraph } from "../lib/heap-snapshot.js";
import { consOwners } from "../lib/cons-owners.js";
import { badFlag, positiveNumber } from "../lib/flags.js";

const { values, positionals } = (() => {
  try {
    return parseArgs({ options: { top: { type: "string", default: "20" }, json: { type: "boolean", default: false } }, strict: true, allowPositionals: true });
  } catch (error) {
    return badFlag(error instanceof Error ? error.message.split("\n")[0] : String(error));
  }
})();
if (positionals.length !== 1) badFlag("give one .heapsnapshot file");
const top = positiveNumber("top", values.top, 20);

const started = performance.now();
const graph = heapGraph(JSON.parse(readFileSync(positionals[0], "utf8")));
const parsedMs = performance.now() - started;
const { consNodes, consBytes, owners } = consOwners(graph);
const ranked = owners.slice(0, top);
const MB = 1024 * 1024;
if (values.json) {
  process.stdout.write(`${JSON.stringify({ nodes: graph.count, consNodes, consBytes, owners: ranked })}\n`);
} else {
  console.log(`${positionals[0]}: ${graph.count} nodes (parsed in ${(parsedMs / 1000).toFixed(1)} s); ${consNodes} ConsStrings, ${(consBytes / MB).toFixed(1)} MB own size`);
  console.log("ConsString MB | nodes | top strings | retainer path");
  for (const o of ranked) console.log(`${(o.bytes / MB).toFixed(1)} | ${o.nodes} | ${o.strings} | ${o.path}`);
}
