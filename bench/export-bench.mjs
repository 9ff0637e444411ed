// Export time of a 100,000-event trace. The trace is the built-in scenario's own (one real
// headless run, `--json`), with its message step repeated until the trace holds the number
// of events asked for (an event: one call node or one captured chunk).
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, "..");

/** Runs `trace-socket --json` once and reads the JSON lines back into a Trace. */
export function seedTrace() {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(root, "bin", "trace-socket.js"), "--json"], { cwd: root, stdio: ["ignore", "pipe", "inherit"] });
    let text = "";
    child.stdout.on("data", (data) => (text += data));
    child.on("close", (code) => {
      if (code !== 0) return reject(new Error(`trace-socket --json exited ${code}`));
      const trace = { meta: undefined, functions: [], steps: [], connections: [], chunks: [], logs: [], dropped: undefined };
      for (const line of text.split("\n")) {
        if (!line) continue;
        const { type, ...rest } = JSON.parse(line);
        if (type === "meta") trace.meta = { ...rest };
        else if (type === "function") trace.functions.push(rest);
        else if (type === "connection") trace.connections.push(rest);
        else if (type === "chunk") trace.chunks.push(rest);
        else if (type === "step") trace.steps.push(rest);
        else if (type === "log") trace.logs.push(rest);
        else if (type === "dropped") trace.dropped = rest;
      }
      resolve(trace);
    });
  });
}

function countCalls(nodes) {
  let n = 0;
  for (const node of nodes) n += 1 + countCalls(node.children);
  return n;
}

function maxSeq(nodes) {
  let m = -1;
  for (const node of nodes) m = Math.max(m, node.seq, maxSeq(node.children));
  return m;
}

function shifted(node, seqShift, timeShift) {
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
export function countEvents(trace) {
  return trace.steps.reduce((n, step) => n + countCalls(step.calls), 0) + trace.chunks.length;
}

/** Repeats the seed's message step (its calls and chunks) until the trace holds `target` events. */
export function synthesize(seed, target) {
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
  const calls = [...step.calls];
  const chunkSeqs = [...step.chunks];
  const chunks = [...seed.chunks];
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

/**
 * The markdown exporter as the CLI runs it: `renderMarkdown(trace, sources)` from
 * dist/export/markdown.js after `gatherSources` (dist/export/gather-sources.js).
 */
export async function findMarkdown() {
  const load = (name) => import(pathToFileURL(join(root, "dist", "export", name)).href);
  const [{ renderMarkdown }, { gatherSources }, { NO_SOURCES }] = await Promise.all([load("markdown.js"), load("gather-sources.js"), load("report-sources.js")]);
  return { module: "dist/export/markdown.js", name: "renderMarkdown", render: renderMarkdown, gatherSources, noSources: NO_SOURCES };
}

async function renderToString(result) {
  const value = await result;
  if (typeof value === "string") return value;
  if (value && typeof value[Symbol.iterator] === "function") return [...value].join("\n");
  if (value && typeof value[Symbol.asyncIterator] === "function") {
    const parts = [];
    for await (const part of value) parts.push(part);
    return parts.join("\n");
  }
  throw new Error(`the renderer returned ${typeof value}`);
}

/** Times render + write of `trace` by each exporter available; median of `runs`. */
export async function measureExports(trace, runs = 3) {
  const dir = mkdtempSync(join(tmpdir(), "trace-socket-bench-export-"));
  const { renderText } = await import(pathToFileURL(join(root, "dist", "export", "text.js")).href);
  const { jsonLines } = await import(pathToFileURL(join(root, "dist", "export", "json-lines.js")).href);
  const markdown = await findMarkdown();
  // Sources are gathered once before timing (cold source index, offline), so the timed
  // runs see the warm cache a second export would.
  const cacheDir = join(dir, "cache");
  const gather = (t) => markdown.gatherSources(t, { projectRoot: root, offline: true, cacheDir });
  let coldGatherMs;
  if (markdown) {
    const started = performance.now();
    await gather(trace).catch(() => undefined);
    coldGatherMs = performance.now() - started;
  }
  const phases = [];
  const exporters = [
    [
      "markdown",
      markdown
        ? async (t) => {
            const started = performance.now();
            const sources = await gather(t);
            const gathered = performance.now();
            const text = markdown.render(t, sources ?? markdown.noSources);
            phases.push({ gatherMs: gathered - started, renderMs: performance.now() - gathered });
            return text;
          }
        : undefined,
      `${markdown.module} ${markdown.name}() after gatherSources() (warm, offline)`,
    ],
    ["text (headless output)", (t) => renderText(t), "dist/export/text.js renderText()"],
    ["JSON lines (--json)", (t) => jsonLines(t), "dist/export/json-lines.js jsonLines()"],
  ];
  const out = [];
  try {
    for (const [label, render, source] of exporters) {
      if (!render) {
        out.push({ label, source, skipped: source });
        continue;
      }
      const times = [];
      let bytes = 0;
      let error;
      for (let i = 0; i < runs && !error; i++) {
        const file = join(dir, `trace-${i}.out`);
        const started = performance.now();
        try {
          writeFileSync(file, await renderToString(render(trace)));
          times.push(performance.now() - started);
          bytes = statSync(file).size;
        } catch (e) {
          error = e.message;
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
