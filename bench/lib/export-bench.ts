// Export time of a 100,000-event trace. The trace is the built-in scenario's own (one real
// headless run, `--json`), with its message step repeated until the trace holds the number
// of events asked for (an event: one call node or one captured chunk).
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gatherSources } from "../../src/export/gather-sources.js";
import { jsonLines } from "../../src/export/json-lines.js";
import { renderMarkdown } from "../../src/export/markdown.js";
import { NO_SOURCES, type ReportSources } from "../../src/export/report-sources.js";
import { renderText } from "../../src/export/text.js";
import { PACKAGE_ROOT } from "../../src/trace/scenario.js";
import type { CallNode, Chunk, Trace } from "../../src/trace/model.js";

/** One exporter's timing: render + write, each run; or why it failed. */
export interface ExportTiming {
  readonly label: string;
  readonly source: string;
  readonly times: number[];
  readonly bytes: number;
  readonly error: string | undefined;
  coldGatherMs?: number;
  phases?: { gatherMs: number; renderMs: number }[];
}

const root = PACKAGE_ROOT;

/** Runs `trace-socket --json` once and reads the JSON lines back into a Trace. */
export function seedTrace(): Promise<Trace> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(root, "bin", "trace-socket.js"), "--json"], { cwd: root, stdio: ["ignore", "pipe", "inherit"] });
    let text = "";
    child.stdout.on("data", (data: Buffer) => (text += data));
    child.on("close", (code) => {
      if (code !== 0) return reject(new Error(`trace-socket --json exited ${code}`));
      const trace: Record<string, unknown> & { functions: unknown[]; steps: unknown[]; connections: unknown[]; chunks: unknown[]; logs: unknown[] } = { meta: undefined, functions: [], steps: [], connections: [], chunks: [], logs: [], dropped: undefined };
      for (const line of text.split("\n")) {
        if (!line) continue;
        const { type, ...rest } = JSON.parse(line) as { type: string } & Record<string, unknown>;
        if (type === "meta") trace.meta = { ...rest };
        else if (type === "function") trace.functions.push(rest);
        else if (type === "connection") trace.connections.push(rest);
        else if (type === "chunk") trace.chunks.push(rest);
        else if (type === "step") trace.steps.push(rest);
        else if (type === "log") trace.logs.push(rest);
        else if (type === "dropped") trace.dropped = rest;
      }
      resolve(trace as unknown as Trace);
    });
  });
}

function countCalls(nodes: readonly CallNode[]): number {
  let n = 0;
  for (const node of nodes) n += 1 + countCalls(node.children);
  return n;
}

function maxSeq(nodes: readonly CallNode[]): number {
  let m = -1;
  for (const node of nodes) m = Math.max(m, node.seq, maxSeq(node.children));
  return m;
}

function shifted(node: CallNode, seqShift: number, timeShift: number): CallNode {
  return {
    ...node,
    seq: node.seq + seqShift,
    start: node.start + timeShift,
    end: node.end + timeShift,
    children: node.children.map((child) => shifted(child, seqShift, timeShift)),
    ...(node.async ? { async: { ...node.async, from: node.async.from + seqShift } } : {}),
  };
}

/** Counts the events of a trace: call nodes plus chunks. */
export function countEvents(trace: Trace): number {
  return trace.steps.reduce((n, step) => n + countCalls(step.calls), 0) + trace.chunks.length;
}

/** Repeats the seed's message step (its calls and chunks) until the trace holds `target` events. */
export function synthesize(seed: Trace, target: number): Trace {
  const index = seed.steps.findIndex((step) => step.id === "message");
  const step = seed.steps[index];
  const unitCalls = countCalls(step.calls);
  const unitChunks = seed.chunks.filter((chunk) => step.chunks.includes(chunk.seq));
  const unit = unitCalls + unitChunks.length;
  if (unit === 0) throw new Error("the seed's message step recorded nothing");
  const base = countEvents(seed);
  const copies = Math.ceil((target - base) / unit);
  const seqSpan = maxSeq(seed.steps.flatMap((s) => s.calls)) + 1;
  const chunkSpan = Math.max(...seed.chunks.map((c) => c.seq)) + 1;
  const duration = Math.max(1, step.ended - step.started);
  const calls: CallNode[] = [...step.calls];
  const chunkSeqs: number[] = [...step.chunks];
  const chunks: Chunk[] = [...seed.chunks];
  for (let k = 1; k <= copies; k++) {
    for (const node of step.calls) calls.push(shifted(node, k * seqSpan, k * duration));
    for (const chunk of unitChunks) {
      const seq = chunk.seq + k * chunkSpan;
      chunks.push({ ...chunk, seq, time: chunk.time + k * duration, ...(chunk.call !== undefined ? { call: chunk.call + k * seqSpan } : {}) });
      chunkSeqs.push(seq);
    }
  }
  chunks.sort((a, b) => a.seq - b.seq);
  const steps = seed.steps.map((s, i) => (i === index ? { ...s, calls, chunks: chunkSeqs, ended: s.started + duration * (copies + 1) } : s));
  return { ...seed, steps, chunks };
}

/** The markdown exporter as the CLI runs it: sources gathered, then rendered. */
const markdown = {
  module: "dist/export/markdown.js",
  name: "renderMarkdown",
  render: renderMarkdown,
  gatherSources,
  noSources: NO_SOURCES,
};

/** Times render + write of `trace` by each exporter available; median of `runs`. */
export async function measureExports(trace: Trace, runs = 3): Promise<ExportTiming[]> {
  const dir = mkdtempSync(join(tmpdir(), "trace-socket-bench-export-"));
  // Sources are gathered once before timing (cold source index, offline), so the timed
  // runs see the warm cache a second export would.
  const cacheDir = join(dir, "cache");
  const gather = (t: Trace): Promise<ReportSources> => markdown.gatherSources(t, { projectRoot: root, offline: true, cacheDir });
  const coldStarted = performance.now();
  await gather(trace).catch(() => undefined);
  const coldGatherMs = performance.now() - coldStarted;
  const phases: { gatherMs: number; renderMs: number }[] = [];
  const exporters: [string, (t: Trace) => string | Promise<string>, string][] = [
    [
      "markdown",
      async (t: Trace) => {
        const started = performance.now();
        const sources = await gather(t);
        const gathered = performance.now();
        const text = markdown.render(t, sources);
        phases.push({ gatherMs: gathered - started, renderMs: performance.now() - gathered });
        return text;
      },
      `${markdown.module} ${markdown.name}() after gatherSources() (warm, offline)`,
    ],
    ["text (headless output)", (t) => renderText(t), "dist/export/text.js renderText()"],
    ["JSON lines (--json)", (t) => [...jsonLines(t)].join("\n"), "dist/export/json-lines.js jsonLines()"],
  ];
  const out: ExportTiming[] = [];
  try {
    for (const [label, render, source] of exporters) {
      const times: number[] = [];
      let bytes = 0;
      let error: string | undefined;
      for (let i = 0; i < runs && !error; i++) {
        const file = join(dir, `trace-${i}.out`);
        const started = performance.now();
        try {
          writeFileSync(file, await render(trace));
          times.push(performance.now() - started);
          bytes = statSync(file).size;
        } catch (e) {
          error = (e as Error).message;
        }
        rmSync(file, { force: true });
      }
      out.push({ label, source, times, bytes, error });
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const md = out.find((e) => e.label === "markdown");
  if (md && phases.length) Object.assign(md, { coldGatherMs, phases });
  return out;
}
