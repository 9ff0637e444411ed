/**
 * One trace of a run of several traced processes, from each process's own trace: the
 * first process's numbering stays, the others' call seqs, function ids and connection
 * ids move past it, every chunk is renumbered in time order across all of them (the
 * processes' clocks are put on the first one's), and each step holds every process's
 * part of it. `processes` says which part is whose; `links` joins what one published
 * to what another received, by the bytes.
 *
 * This is the minimum the scenarios with an adapter need until the runtime port carries
 * a process id on every call and chunk (#13).
 */
import type { CallNode, Chunk, Connection, ProcessInfo, Step, Trace } from "../trace/model.js";
import { decodeChunks } from "../wire/decode-chunks.js";
import { crossLinks } from "../wire/cross-links.js";
import { expandedStep } from "../trace/turns.js";

/** A process's trace and what the merge needs to know of it. */
export interface ProcessTrace {
  readonly name: string;
  readonly trace: Trace;
  /** Epoch ms its trace's time 0 stands for. */
  readonly origin: number;
}

function maxCallSeq(nodes: readonly CallNode[]): number {
  let max = -1;
  const walk = (list: readonly CallNode[]): void => {
    for (const n of list) {
      if (n.seq > max) max = n.seq;
      walk(n.children);
    }
  };
  walk(nodes);
  return max;
}

function shiftCalls(nodes: readonly CallNode[], seq: number, fn: number, time: number): CallNode[] {
  return nodes.map((n) => ({
    ...n,
    seq: n.seq + seq,
    fn: n.fn + fn,
    start: n.start + time,
    end: n.end + time,
    children: shiftCalls(n.children, seq, fn, time),
    ...(n.async ? { async: { ...n.async, from: n.async.from + seq } } : {}),
  }));
}

interface Shift {
  readonly seq: number;
  readonly fn: number;
  readonly conn: number;
  readonly time: number;
}

/** Merges the processes' traces, in the order given (the first one's meta stands). */
export function mergeProcessTraces(folded: readonly ProcessTrace[]): Trace {
  // Merged call by call: each process's repeated turns expanded first.
  const parts = folded.map((part) => ({ ...part, trace: { ...part.trace, steps: part.trace.steps.map(expandedStep) } }));
  const first = parts[0].trace;
  const shifts: Shift[] = [];
  let seq = 0;
  let fn = 0;
  let conn = 0;
  for (const part of parts) {
    shifts.push({ seq, fn, conn, time: part.origin - parts[0].origin });
    const calls = part.trace.steps.flatMap((s) => s.calls);
    const evidence = part.trace.steps.flatMap((s) => (s.claims ?? []).flatMap((c) => c.evidence ?? []));
    seq += Math.max(maxCallSeq(calls), ...part.trace.chunks.map((c) => c.call ?? -1), ...evidence) + 1;
    // Function ids are the recorder's, not indices: the next process's start past the highest.
    fn += Math.max(-1, ...part.trace.functions.map((f) => f.id)) + 1;
    conn += Math.max(0, ...part.trace.connections.map((c) => c.id));
  }
  // Chunks of all processes in one wire order: by time, then by their own order.
  const tagged = parts.flatMap((part, p) => part.trace.chunks.map((chunk) => ({ p, chunk, time: chunk.time + shifts[p].time })));
  tagged.sort((a, b) => a.time - b.time || a.p - b.p || a.chunk.seq - b.chunk.seq);
  const newSeq = parts.map(() => new Map<number, number>());
  const chunks: Chunk[] = tagged.map((t, i) => {
    newSeq[t.p].set(t.chunk.seq, i + 1);
    const s = shifts[t.p];
    return { ...t.chunk, seq: i + 1, conn: t.chunk.conn + s.conn, time: t.time, ...(t.chunk.call !== undefined ? { call: t.chunk.call + s.seq } : {}), ...(t.chunk.callEnd !== undefined ? { callEnd: t.chunk.callEnd + s.seq } : {}) };
  });
  const connections: Connection[] = parts.flatMap((part, p) => part.trace.connections.map((c) => ({
    ...c, id: c.id + shifts[p].conn, opened: c.opened + shifts[p].time, ...(c.closed !== undefined ? { closed: c.closed + shifts[p].time } : {}),
  })));
  const steps: Step[] = first.steps.map((step, i) => {
    const each = parts.map((part, p) => ({ step: part.trace.steps[i], s: shifts[p], p, name: part.name })).filter((e) => e.step !== undefined);
    const calls = each.flatMap((e) => shiftCalls(e.step.calls, e.s.seq, e.s.fn, e.s.time)).sort((a, b) => a.start - b.start);
    const stepChunks = each.flatMap((e) => e.step.chunks.map((c) => newSeq[e.p].get(c)).filter((c): c is number => c !== undefined)).sort((a, b) => a - b);
    const notes = each.flatMap((e) => (e.step.notes ?? []).map((n) => `server ${e.name}: ${n}`));
    const values = Object.assign({}, ...each.map((e) => e.step.values)) as Record<string, string>;
    return {
      ...step,
      values,
      started: Math.min(...each.map((e) => e.step.started + e.s.time)),
      ended: Math.max(...each.map((e) => e.step.ended + e.s.time)),
      calls,
      chunks: stepChunks,
      ...(notes.length ? { notes } : {}),
      // Claims are checked again on the merged trace.
      claims: undefined,
    };
  });
  const processes: ProcessInfo[] = parts.map((part, p) => ({
    name: part.name,
    ...(part.trace.meta.address ? { address: part.trace.meta.address } : {}),
    calls: [shifts[p].seq, p + 1 < parts.length ? shifts[p + 1].seq : seq],
    functions: [shifts[p].fn, p + 1 < parts.length ? shifts[p + 1].fn : fn],
    connections: part.trace.connections.map((c) => c.id + shifts[p].conn),
  }));
  const processOfConn = new Map(processes.flatMap((pr) => pr.connections.map((c) => [c, pr.name] as const)));
  const merged: Trace = {
    meta: first.meta,
    functions: parts.flatMap((part, p) => part.trace.functions.map((f) => ({ ...f, id: f.id + shifts[p].fn }))),
    steps,
    connections,
    chunks,
    logs: parts.flatMap((part, p) => part.trace.logs.map((l) => ({ ...l, time: l.time + shifts[p].time, text: `[${part.name}] ${l.text}` }))).sort((a, b) => a.time - b.time),
    dropped: {
      calls: parts.reduce((n, part) => n + part.trace.dropped.calls, 0),
      chunks: parts.reduce((n, part) => n + part.trace.dropped.chunks, 0),
      bytes: parts.reduce((n, part) => n + part.trace.dropped.bytes, 0),
      logs: parts.reduce((n, part) => n + part.trace.dropped.logs, 0),
    },
    processes,
  };
  const links = crossLinks(decodeChunks(chunks), (c) => processOfConn.get(c)).map((link) => {
    if (link.from.call !== undefined) return link;
    const by = publisher(merged, processes.find((p) => p.name === link.from.process)!, chunks[link.from.chunk - 1]?.time ?? 0);
    return by === undefined ? link : { ...link, from: { ...link.from, call: by, callBefore: true } };
  });
  return { ...merged, links };
}

/**
 * The adapter call that published a message whose bytes went out with no traced call on the
 * stack (node-redis writes its queue on a later tick): the last call into the adapter package
 * that this process began before the write.
 */
function publisher(trace: Trace, process: ProcessInfo, time: number): number | undefined {
  let best: CallNode | undefined;
  const pkgOf = new Map(trace.functions.map((f) => [f.id, f.pkg]));
  const walk = (nodes: readonly CallNode[]): void => {
    for (const n of nodes) {
      if (n.seq < process.calls[0] || n.seq >= process.calls[1] || n.start > time) continue;
      if (ADAPTERS.has(pkgOf.get(n.fn) ?? "") && (!best || n.start >= best.start)) best = n;
      walk(n.children);
    }
  };
  for (const step of trace.steps) walk(step.calls);
  return best?.seq;
}

const ADAPTERS: ReadonlySet<string> = new Set(["@socket.io/redis-adapter"]);

/** The process a call seq belongs to, in a merged trace. */
export function processOfCall(trace: Trace, seq: number): string | undefined {
  return trace.processes?.find((p) => seq >= p.calls[0] && seq < p.calls[1])?.name;
}
