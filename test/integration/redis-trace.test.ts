/**
 * The redis scenario for real: two traced socket.io servers in two processes, each with
 * @socket.io/redis-adapter on a real redis-server, one real client on each. The broadcast
 * server A publishes is linked, by its bytes, to server B's receipt and to the frame B
 * writes to client 2; every claim of the scenario holds on the run; the CLI runs it
 * headless against its own Redis and against one given with --redis.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startServers } from "../../src/scenario/servers-run.js";
import { INSTALL_ROOT, loadScenario } from "../../src/trace/scenario.js";
import type { CallNode, Trace } from "../../src/trace/model.js";
import { decodeChunks } from "../../src/wire/decode-chunks.js";
import type { WireMessage } from "../../src/wire/types.js";
import { runCli } from "../helpers/cli.js";
import { exportHeadless, expectWholeReport } from "../helpers/whole-report.js";
import { redisGate, startRedis, type RedisServer } from "../helpers/redis-server.js";

function calls(trace: Trace): Map<number, CallNode> {
  const out = new Map<number, CallNode>();
  const walk = (nodes: readonly CallNode[]): void => nodes.forEach((n) => {
    out.set(n.seq, n);
    walk(n.children);
  });
  trace.steps.forEach((s) => walk(s.calls));
  return out;
}

/** The seqs of a call and every call below it. */
function subtree(node: CallNode): Set<number> {
  const out = new Set<number>();
  const walk = (n: CallNode): void => {
    out.add(n.seq);
    n.children.forEach(walk);
  };
  walk(node);
  return out;
}

describe.skipIf(redisGate.skip)(`the redis scenario${redisGate.titleNote}`, () => {
  let trace: Trace;
  let messages: WireMessage[];

  beforeAll(async () => {
    redisGate.assertPresent();
    const runner = await startServers({ scenario: loadScenario("redis"), projectRoot: INSTALL_ROOT, host: "127.0.0.1", command: "test" });
    try {
      await runner.runAll();
      trace = runner.trace();
    } finally {
      await runner.close();
    }
    messages = decodeChunks(trace.chunks);
  }, 180_000);

  it("links A's io.emit to B's receipt and to the frame B writes to client 2, by the message's bytes", () => {
    const step = trace.steps.find((s) => s.id === "emit-everywhere")!;
    const [a, b] = trace.meta.processes!;
    expect([a.name, b.name]).toEqual(["A", "B"]);
    const connectionsOf = (id: number) => trace.connections.filter((c) => c.process === id).map((c) => c.id);
    const link = trace.links!.find((l) => l.channel === "socket.io#/#" && step.chunks.includes(l.from.chunk))!;
    expect(link).toMatchObject({ from: { process: "A" }, to: { process: "B" } });
    const byChunk = (seq: number) => messages.find((m) => m.firstChunk === seq)!;
    const published = byChunk(link.from.chunk);
    const received = byChunk(link.to.chunk);
    expect(connectionsOf(a.id)).toContain(published.conn);
    expect(connectionsOf(b.id)).toContain(received.conn);
    // The same bytes on both sides: the payload digests agree, and it is A's broadcast.
    const [pub, rec] = [published.layers[0], received.layers[0]];
    expect(pub).toMatchObject({ kind: "redis", name: "PUBLISH" });
    expect(rec).toMatchObject({ kind: "redis", name: "pmessage" });
    if (pub.kind !== "redis" || rec.kind !== "redis") throw new Error("not Redis");
    expect(rec.payload).toEqual(pub.payload);
    expect(published.layers[1]).toMatchObject({ kind: "adapter", channel: "broadcast", packet: { event: "chat message" } });

    const all = calls(trace);
    const fns = new Map(trace.functions.map((f) => [f.id, f]));
    const name = (seq: number) => fns.get(all.get(seq)!.fn)!.name;
    // A's side: the adapter call that published, one of A's calls.
    expect(name(link.from.call!)).toBe("RedisAdapter.broadcast");
    expect(all.get(link.from.call!)!.process).toBe(a.id);
    // B's side: the receipt runs onmessage and B's local broadcast, which writes the frame to client 2.
    const under = subtree(all.get(link.to.call!)!);
    const names = [...under].map(name);
    expect(names).toContain("RedisAdapter.onmessage");
    expect(names).toContain("Adapter.broadcast");
    const toClient2 = messages.find((m) => m.dir === "out" && connectionsOf(b.id).includes(m.conn) && m.call !== undefined && under.has(m.call)
      && m.layers.some((l) => l.kind === "socket.io" && l.packets.some((p) => p.event === "chat message")));
    expect(toClient2?.raw).toContain("A relays: hi from client 1");
  });

  it("links fetchSockets' request A → B and B's answer back B → A", () => {
    const step = trace.steps.find((s) => s.id === "fetch-remote")!;
    const here = trace.links!.filter((l) => step.chunks.includes(l.from.chunk));
    expect(here.map((l) => `${l.channel} ${l.from.process}→${l.to.process}`)).toEqual(["socket.io-request#/# A→B", "socket.io-response#/# B→A"]);
    expect(trace.logs.some((l) => l.process === 0 && /^fetchSockets on A: \S+, \S+$/.test(l.text))).toBe(true);
  });

  it("answers a polling request at the server that did not open its session with 400 Session ID unknown, from abortRequest", () => {
    const [a, b] = trace.meta.processes!;
    const processOf = new Map(trace.connections.map((c) => [c.id, c.process]));
    const inStep = (id: string) => {
      const chunks = new Set(trace.steps.find((s) => s.id === id)!.chunks);
      return messages.filter((m) => chunks.has(m.firstChunk));
    };
    const http = (m: WireMessage) => m.layers.find((l) => l.kind === "http-request" || l.kind === "http-response");
    const wrong = inStep("poll-wrong-server");
    const open = wrong.find((m) => processOf.get(m.conn) === a.id && m.layers.some((l) => l.kind === "engine.io" && l.packets.some((p) => p.name === "open")))!;
    const sid = (JSON.parse(open.layers.find((l) => l.kind === "engine.io")!.packets[0].data) as { sid: string }).sid;
    const post = wrong.find((m) => processOf.get(m.conn) === b.id && m.dir === "in")!;
    expect(http(post)).toMatchObject({ kind: "http-request", method: "POST", target: `/socket.io/?EIO=4&transport=polling&sid=${sid}` });
    const answer = wrong.find((m) => m.conn === post.conn && m.dir === "out")!;
    expect(http(answer)).toMatchObject({ kind: "http-response", status: 400, body: '{"code":1,"message":"Session ID unknown"}' });
    const all = calls(trace);
    const fns = new Map(trace.functions.map((f) => [f.id, f]));
    expect(fns.get(all.get(answer.call!)!.fn)!.name).toBe("abortRequest");
    expect(all.get(answer.call!)!.process).toBe(b.id);
    // The same sid at A, the server that holds the session: accepted.
    const same = inStep("poll-same-server").filter((m) => processOf.get(m.conn) === a.id);
    const accepted = same.find((m) => m.dir === "in" && http(m)?.kind === "http-request" && (http(m) as { method: string }).method === "POST")!;
    expect(http(accepted)).toMatchObject({ target: `/socket.io/?EIO=4&transport=polling&sid=${sid}` });
    expect(http(same.find((m) => m.conn === accepted.conn && m.dir === "out")!)).toMatchObject({ status: 200, body: "ok" });
  });

  it("holds every claim of the scenario on the run", () => {
    const results = trace.steps.flatMap((s) => (s.claims ?? []).map((c) => ({ step: s.id, ...c })));
    expect(results.length).toBeGreaterThan(15);
    expect(results.filter((c) => c.status !== "held" && c.status !== "unchecked")).toEqual([]);
    expect(trace.steps.every((s) => (s.claims ?? []).some((c) => c.status === "held"))).toBe(true);
  });
});

/** The claims summary and any claim not seen, so a failure says which. */
function claimLines(stdout: string): string {
  return stdout.split("\n").filter((l) => /^claims:|not seen/.test(l.trim())).join("\n");
}

describe.skipIf(redisGate.skip)(`trace-socket --scenario redis${redisGate.titleNote}`, () => {
  let redis: RedisServer | undefined;
  beforeAll(() => redisGate.assertPresent());
  afterAll(async () => {
    await redis?.stop();
  });

  it("runs headless on a Redis of its own, every claim held", async () => {
    const result = await runCli(["--scenario", "redis", "--no-interactive"]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain("━━ Step 10/12 · client 2 disconnects from server B");
    expect(result.stdout).toContain("· HTTP 400 Bad Request (41 B body: {\"code\":1,\"message\":\"Session ID unknown\"})");
    expect(claimLines(result.stdout)).toMatch(/^claims: \d+ held on this run, 0 not seen/m);
    expect(result.stdout).toContain("· Redis PUBLISH channel socket.io#/#\n");
    expect(result.stdout).toMatch(/· redis-adapter, broadcast, msgpack, uid \S+ EVENT \["chat message","A relays: hi from client 1"\]/);
  }, 180_000);

  it("exports a whole, lint-clean report headless, the diagram with both servers and Redis", async () => {
    const { code, stderr, report } = await exportHeadless("redis");
    expect(code, stderr).toBe(0);
    await expectWholeReport("redis", report);
    for (const participant of ["S0 as server A", "S1 as server B", "R as Redis"]) expect(report).toContain(`    participant ${participant}\n`);
  }, 180_000);

  it("uses the Redis --redis names", async () => {
    redis = await startRedis();
    const result = await runCli(["--scenario", "redis", "--no-interactive", "--redis", redis.url]);
    expect(result.code, result.stderr).toBe(0);
    expect(claimLines(result.stdout)).toMatch(/^claims: \d+ held on this run, 0 not seen/m);
  }, 180_000);

  it("refuses --redis for a scenario without Redis, in one line", async () => {
    const result = await runCli(["--no-interactive", "--redis", "redis://127.0.0.1:1"]);
    expect(result.code).toBe(2);
    expect(result.stderr.trim().split("\n")).toHaveLength(1);
  }, 60_000);
});
