/**
 * `--stable` for a trace of several processes (`meta.processes`): the pieces
 * that tie processes together. The ports each one listens on and the Redis
 * port its adapter connects to are named (`PORT-A`, `PORT-B`, `REDIS-PORT`;
 * `PORT` in a trace of one), the processes' addresses follow, and the
 * cross-process links (`trace.links`) point at the calls and chunks by their
 * stable numbers. Pure.
 */
import { PROCESS_ID_STRIDE, type Connection, type CrossLink, type LinkEnd, type TracedProcessMeta, type Trace } from "../trace/model.js";

function portOf(address: string | undefined): string | undefined {
  return address ? /:(\d+)\/?$/.exec(address)?.[1] : undefined;
}

/**
 * Every port of the run → its placeholder: the servers' own (`PORT`, or `PORT-<name>` per
 * process in a trace of several), the peer port of the connections a process opened (its Redis,
 * `REDIS-PORT`), and the other ends' ephemeral ports `CLIENT-PORT-1`… in `connections` order
 * (the caller passes them in the stable order), so the same run gives the same names.
 */
export function stablePorts(trace: Pick<Trace, "meta">, connections: readonly Connection[]): Map<string, string> {
  const processes = trace.meta.processes ?? [];
  const several = processes.length > 1;
  const serverLabel = (process: number | undefined): string => {
    const name = processes.find((p) => p.id === (process ?? 0))?.name;
    return several && name !== undefined ? `PORT-${name}` : "PORT";
  };
  const ports = new Map<string, string>();
  const name = (port: string | undefined, label: string): void => {
    if (port !== undefined && !ports.has(port)) ports.set(port, label);
  };
  name(portOf(trace.meta.address), serverLabel(processes[0]?.id));
  for (const p of processes) name(portOf(p.address), serverLabel(p.id));
  for (const c of connections) if (!c.outgoing) name(portOf(c.local), serverLabel(c.process));
  for (const c of connections) if (c.outgoing) name(portOf(c.remote), "REDIS-PORT");
  let clients = 0;
  for (const c of connections) {
    const port = portOf(c.outgoing ? c.local : c.remote);
    if (port !== undefined && !ports.has(port)) ports.set(port, `CLIENT-PORT-${++clients}`);
  }
  return ports;
}

/** The processes with their addresses rewritten by `text` (the stable replacer). */
export function stableProcesses(processes: readonly TracedProcessMeta[], text: (s: string) => string): TracedProcessMeta[] {
  return processes.map((p) => ({ ...p, ...(p.address !== undefined && { address: text(p.address) }) }));
}

/**
 * The links renumbered: chunks and calls by their stable ranks. `callEnd` is dropped like a
 * chunk's: a range of seqs has no counterpart among ranks that follow the walk, not the seqs.
 * Sorted by the sending chunk, then the receiving one, since arrival order varies.
 */
export function stableLinks(links: readonly CrossLink[], callRank: ReadonlyMap<number, number>, chunkRank: ReadonlyMap<number, number>): CrossLink[] {
  const end = (e: LinkEnd): LinkEnd => ({
    process: e.process,
    chunk: chunkRank.get(e.chunk) ?? e.chunk,
    ...(e.call !== undefined && { call: callRank.get(e.call) ?? e.call }),
    ...(e.callBefore && { callBefore: true }),
  });
  return links
    .map((link) => ({ channel: link.channel, from: end(link.from), to: end(link.to) }))
    .sort((a, b) => a.from.chunk - b.from.chunk || a.to.chunk - b.to.chunk);
}

/**
 * Stable numbers (old id → 1, 2, 3… in stable order) made per process, as the model numbers a
 * trace of several: process k's ids become `k × PROCESS_ID_STRIDE + 1, 2…` in the same order, so
 * that a reader still sees `B conn 2`, `B call #7`. A trace of one process keeps its numbers.
 */
export function perProcessIds(rank: ReadonlyMap<number, number>): Map<number, number> {
  const counts = new Map<number, number>();
  return new Map(
    [...rank].sort((a, b) => a[1] - b[1]).map(([old]) => {
      const k = Math.floor(old / PROCESS_ID_STRIDE);
      const n = (counts.get(k) ?? 0) + 1;
      counts.set(k, n);
      return [old, k * PROCESS_ID_STRIDE + n];
    }),
  );
}
