/**
 * The cluster scenario for real: a traced primary (Node's cluster module, @socket.io/sticky)
 * that forks two traced workers (@socket.io/cluster-adapter), and two real socket.io-client
 * sockets on the primary's one port. Each call is on the process that made it: the sticky
 * routing in the primary, the publish in worker 1, the receipt and broadcast in worker 2;
 * every claim of the scenario holds on the run; the CLI runs it headless.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startCluster } from "../../src/scenario/cluster-run.js";
import type { Runner } from "../../src/scenario/runner.js";
import { INSTALL_ROOT, loadScenario } from "../../src/trace/scenario.js";
import type { CallNode, Trace } from "../../src/trace/model.js";
import { decodeChunks } from "../../src/wire/decode-chunks.js";
import { runCli } from "../helpers/cli.js";
import { exportHeadless, expectWholeReport } from "../helpers/whole-report.js";

/** Every call of step `id` named `name`, with its parent's name, as `process:parent>name`. */
function callsOf(trace: Trace, id: string, name: string): { process: number | undefined; parent: string | undefined }[] {
  const names = new Map(trace.functions.map((f) => [f.id, f.name]));
  const out: { process: number | undefined; parent: string | undefined }[] = [];
  const walk = (nodes: readonly CallNode[], parent: string | undefined): void => nodes.forEach((n) => {
    const own = names.get(n.fn);
    if (own === name) out.push({ process: n.process, parent });
    walk(n.children, own);
  });
  walk(trace.steps.find((s) => s.id === id)!.calls, undefined);
  return out;
}

describe("the cluster scenario", () => {
  let runner: Runner;
  let trace: Trace;

  beforeAll(async () => {
    runner = await startCluster({ scenario: loadScenario("cluster"), projectRoot: INSTALL_ROOT, command: "test", host: "127.0.0.1", port: 0 });
    await runner.runAll();
    trace = runner.trace();
  }, 120_000);

  afterAll(async () => {
    await runner?.close();
  }, 30_000);

  it("traces the primary and both workers as processes of one run", () => {
    expect(trace.meta.processes?.map((p) => p.name)).toEqual(["primary", "worker-1", "worker-2"]);
  });

  it("every claim holds, or is marked as read in the source", () => {
    const bad = trace.steps.flatMap((s) => (s.claims ?? []).filter((c) => c.status !== "held" && c.status !== "unchecked").map((c) => `${s.id}: ${c.text} (${c.status})`));
    expect(bad).toEqual([]);
    expect(trace.steps.flatMap((s) => s.claims ?? []).filter((c) => c.status === "held").length).toBeGreaterThanOrEqual(29);
  });

  it("routes each client's connection in the primary, whose sticky listener chooses the worker", () => {
    for (const id of ["client-1-connects", "client-2-connects"]) {
      const routed = callsOf(trace, id, "computeWorkerId in setupMaster");
      expect(routed.length).toBeGreaterThan(0);
      expect(new Set(routed.map((c) => c.process))).toEqual(new Set([0]));
      // The worker replays what the primary read: setupWorker's listener in a worker, never in the primary.
      const replayed = callsOf(trace, id, "<anonymous request listener in setupWorker>");
      expect(replayed.length).toBeGreaterThan(0);
      expect(replayed.every((c) => c.process !== 0)).toBe(true);
    }
  });

  it("publishes the broadcast in worker 1, relays it in the primary and broadcasts it again in worker 2", () => {
    expect(callsOf(trace, "emit-across", "NodeClusterAdapter.doPublish").filter((c) => c.parent === "ClusterAdapter.publishAndReturnOffset").map((c) => c.process)).toContain(1);
    expect(new Set(callsOf(trace, "emit-across", "ClusterAdapter.broadcast").map((c) => c.process))).toEqual(new Set([1]));
    expect(callsOf(trace, "emit-across", "<anonymous message listener in setupPrimary>").every((c) => c.process === 0)).toBe(true);
    const remote = callsOf(trace, "emit-across", "Adapter.broadcast").filter((c) => c.parent === "ClusterAdapter.onMessage");
    expect(remote.length).toBeGreaterThan(0);
    expect(new Set(remote.map((c) => c.process))).toEqual(new Set([2]));
  });

  it("captures the BROADCAST on the IPC channel twice: worker 1 writes it to the primary, the primary writes the same to worker 2", () => {
    const step = trace.steps.find((s) => s.id === "emit-across")!;
    const inStep = new Set(step.chunks);
    const processOf = new Map(trace.connections.map((c) => [c.id, c.process]));
    const remoteOf = new Map(trace.connections.map((c) => [c.id, c.remote]));
    const broadcasts = decodeChunks(trace.chunks).filter((m) => inStep.has(m.firstChunk) && m.layers.some((l) => l.kind === "adapter" && l.typeName === "BROADCAST"));
    const sent = broadcasts.find((m) => processOf.get(m.conn) === 1 && m.dir === "out");
    const relayed = broadcasts.find((m) => processOf.get(m.conn) === 0 && m.dir === "out");
    expect(sent && relayed).toBeTruthy();
    expect(remoteOf.get(relayed!.conn)).toBe("ipc:worker-2");
    const packet = (m: typeof sent) => m!.layers.find((l) => l.kind === "adapter");
    expect(packet(relayed)).toEqual(packet(sent));
  });

  it("links worker 1's BROADCAST to the primary's receipt, and the primary's relay to worker 2's receipt, which writes to client 2", () => {
    const step = trace.steps.find((s) => s.id === "emit-across")!;
    const inStep = new Set(step.chunks);
    const names = new Map(trace.functions.map((f) => [f.id, f.name]));
    const nodes = new Map<number, CallNode>();
    const walk = (ns: readonly CallNode[]): void => ns.forEach((n) => {
      nodes.set(n.seq, n);
      walk(n.children);
    });
    trace.steps.forEach((s) => walk(s.calls));
    const nameOf = (seq: number | undefined) => (seq === undefined ? undefined : names.get(nodes.get(seq)?.fn ?? -1));
    const receipt = (to: { call?: number; callEnd?: number }) => [...nodes.values()].filter((n) => to.call !== undefined && n.seq >= to.call && n.seq < (to.callEnd ?? to.call + 1));
    const links = (trace.links ?? []).filter((l) => inStep.has(l.from.chunk));
    // Worker 1 → primary: written by doPublish, received by setupPrimary's listener.
    const up = links.find((l) => l.channel === "ipc:primary" && l.from.process === "worker-1" && nameOf(l.from.call) === "NodeClusterAdapter.doPublish")!;
    expect(up.to.process).toBe("primary");
    const relay = receipt(up.to).find((n) => names.get(n.fn) === "<anonymous message listener in setupPrimary>")!;
    expect(relay.process).toBe(0);
    // Primary → worker 2: the relay's own write, received by worker 2's adapter.
    const down = links.find((l) => l.channel === "ipc:worker-2" && l.from.call === relay.seq)!;
    expect(down.to.process).toBe("worker-2");
    const got = receipt(down.to).map((n) => names.get(n.fn));
    expect(got).toContain("ClusterAdapter.onMessage");
    expect(got).toContain("Adapter.broadcast");
    // The same message at all four ends: its value's digest.
    const byChunk = new Map(decodeChunks(trace.chunks).map((m) => [m.firstChunk, m]));
    const digests = [up.from.chunk, up.to.chunk, down.from.chunk, down.to.chunk].map((c) => byChunk.get(c)!.layers[0]);
    expect(digests.every((l) => l.kind === "ipc" && l.digest === (digests[0] as { digest?: string }).digest)).toBe(true);
    // Worker 2 writes client 2's message under that receipt: its poll's answer carries the event.
    const inReceipt = new Set(receipt(down.to).map((n) => n.seq));
    const toClient2 = trace.chunks.filter((c) => c.process === 2 && c.dir === "out" && c.call !== undefined && inReceipt.has(c.call))
      .map((c) => Buffer.from(c.data, "base64").toString("latin1")).find((t) => t.startsWith("HTTP/1.1 200"));
    expect(toClient2).toContain('42["chat message","worker 1 relays: hi from client 1"]');
  });

  it("answers fetchSockets in worker 2 and collects the answer in worker 1", () => {
    const answered = callsOf(trace, "fetch-across", "NodeClusterAdapter.doPublishResponse");
    const collected = callsOf(trace, "fetch-across", "ClusterAdapterWithHeartbeat.onResponse");
    expect(answered.length * collected.length).toBeGreaterThan(0);
    expect(new Set(answered.map((c) => c.process))).toEqual(new Set([2]));
    expect(new Set(collected.map((c) => c.process))).toEqual(new Set([1]));
    expect(trace.logs.some((l) => l.text.startsWith("fetchSockets on worker 1: 2 sockets"))).toBe(true);
  });

  it("routes a polling request on a new connection by its sid to the worker that opened the session", () => {
    const step = trace.steps.find((s) => s.id === "sticky-keeps-the-session")!;
    const inStep = new Set(step.chunks);
    const processOf = new Map(trace.connections.map((c) => [c.id, c.process]));
    const remoteOf = new Map(trace.connections.map((c) => [c.id, c.remote]));
    const messages = decodeChunks(trace.chunks).filter((m) => inStep.has(m.firstChunk));
    const told = messages.find((m) => m.dir === "out" && m.raw.startsWith('{"type":"sticky:connection","data":"'))!;
    const sid = (JSON.parse(told.raw) as { data: string }).data;
    const owner = processOf.get(told.conn)!;
    expect(owner).toBeGreaterThan(0);
    const post = messages.find((m) => m.dir === "in" && m.layers.some((l) => l.kind === "http-request" && l.method === "POST" && l.target.endsWith(`&sid=${sid}`)))!;
    expect(processOf.get(post.conn)).toBe(0);
    // The primary forwards the POST's bytes to the owner's IPC channel, and writes its answer: ok.
    const forwarded = messages.find((m) => m.dir === "out" && m.raw.startsWith('{"type":"sticky:http-chunk-start"') && processOf.get(m.conn) === 0)!;
    expect(remoteOf.get(forwarded.conn)).toBe(`ipc:${trace.meta.processes![owner].name}`);
    const answer = messages.find((m) => m.conn === post.conn && m.dir === "out")!;
    expect(answer.layers[0]).toMatchObject({ kind: "http-response", status: 200, body: "ok" });
    expect(messages.some((m) => m.layers.some((l) => l.kind === "http-response" && l.status === 400))).toBe(false);
  });

  it("runs headless from the CLI", async () => {
    const { code, stdout } = await runCli(["--scenario", "cluster", "--no-interactive"]);
    expect(code).toBe(0);
    expect(stdout).toContain("computeWorkerId in setupMaster");
    expect(stdout).toContain("ClusterAdapter.onMessage");
  }, 150_000);

  it("exports a whole, lint-clean report headless, the diagram a participant per process", async () => {
    const { code, stderr, report } = await exportHeadless("cluster");
    expect(code, stderr).toBe(0);
    await expectWholeReport("cluster", report);
    for (const name of ["primary", "worker-1", "worker-2"]) expect(report).toMatch(new RegExp(`^ {4}participant S\\d as server ${name}$`, "m"));
  }, 150_000);
});
