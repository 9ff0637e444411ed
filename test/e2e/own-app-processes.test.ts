/**
 * Your own app as several processes in one run: `--processes 2` of the Redis-adapter app on a real
 * redis-server the test starts (each instance told its NODE_APP_INSTANCE and PORT), each traced
 * in its own lane with its own start-up steps and a built-in client of its own; what A's client
 * says, A broadcasts through Redis, and the trace links A's publish to B's receipt and to the
 * frame B writes to its client. Two files (`trace-socket a.js b.js`), a process each with its own
 * start-up steps and client. And the command lines that cannot work: one line, exit 2.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli.js";
import { redisGate, startRedis, type RedisServer } from "../helpers/redis-server.js";
import type { CallNode, Trace } from "../../src/trace/model.js";
import { expandTurns } from "../../src/trace/turns.js";

const APP = "test/fixtures/apps/redis-adapter/server.js";

/** Every call of `nodes`, depth first. */
function allCalls(nodes: readonly CallNode[]): CallNode[] {
  return nodes.flatMap((n) => [n, ...allCalls(n.children)]);
}

/** Whether step `id` holds a frame a client sent to one of process `process`'s own (not outgoing) connections. */
function connectedTo(trace: Trace, id: string, process: number): boolean {
  const step = trace.steps.find((s) => s.id === id)!;
  const conns = new Set(trace.connections.filter((c) => c.process === process && !c.outgoing).map((c) => c.id));
  return trace.chunks.some((c) => step.chunks.includes(c.seq) && conns.has(c.conn) && c.dir === "in");
}

describe("your own app as two files: trace-socket a.js b.js", () => {
  it("traces each file as a process of its own, with its start-up steps and a built-in client connected to it", async () => {
    const files = ["test/fixtures/apps/express-cjs/server.js", "test/fixtures/apps/esm-rooms/server.js"];
    const { code, stdout, stderr } = await runCli(["export", ...files, "--format", "json", "-o", "-"], { TRACE_SOCKET_START_TIMEOUT: "60000" });
    expect(code, stderr).toBe(0);
    const trace = JSON.parse(stdout) as Trace;
    const [a, b] = trace.meta.processes ?? [];
    expect([a?.name, b?.name]).toEqual(["A", "B"]);
    expect(a.address).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(b.address).not.toBe(a.address);
    const ids = trace.steps.map((s) => s.id);
    expect(ids.slice(0, ids.indexOf("B-load") + 1)).toEqual(["A-load", "A-init", "A-handlers", "A-run", "B-load"]);
    expect(ids.slice(ids.indexOf("B-load") + 1)).toEqual(["A-connect", "B-connect", "A-disconnect", "B-disconnect"]);
    // Every step is one process's, named so, and holds that process's calls only.
    for (const step of trace.steps) {
      const own = step.id.startsWith("A-") ? 0 : 1;
      expect(step.title.startsWith(own === 0 ? "A · " : "B · "), step.title).toBe(true);
      const calls = allCalls(expandTurns(step));
      expect(calls.length, step.id).toBeGreaterThan(0);
      expect(calls.every((c) => c.process === own), step.id).toBe(true);
    }
    // A's client reached A (express-cjs), B's reached B (esm-rooms), each on its own address.
    expect(trace.steps.find((s) => s.id === "A-connect")!.title).toContain(a.address!);
    expect(trace.steps.find((s) => s.id === "B-connect")!.title).toContain(b.address!);
    expect(connectedTo(trace, "A-connect", 0)).toBe(true);
    expect(connectedTo(trace, "B-connect", 1)).toBe(true);
  }, 150_000);
});

describe("your own app as several processes: command lines that cannot work", () => {
  it("two files and --processes: one line, exit 2, nothing started", async () => {
    const { code, stdout, stderr } = await runCli([APP, APP, "--processes", "2"]);
    expect(code).toBe(2);
    expect(stderr.trim().split("\n")).toHaveLength(1);
    expect(stderr).toMatch(/--processes runs one file several times; it cannot also run .*server\.js .*server\.js/);
    expect(stdout).toBe("");
  });

  it("a second file that does not exist: one line naming it, exit 2", async () => {
    const { code, stderr } = await runCli([APP, "test/fixtures/apps/nope.js"]);
    expect(code).toBe(2);
    expect(stderr.trim()).toBe("trace-socket: no such file: test/fixtures/apps/nope.js");
  });

  it("--processes out of range, or without an app: one line, exit 2", async () => {
    const zero = await runCli([APP, "--processes", "0"]);
    expect(zero.code).toBe(2);
    expect(zero.stderr).toMatch(/--processes.*from 1 to 16/);
    const chat = await runCli(["--processes", "2", "--no-interactive"]);
    expect(chat.code).toBe(2);
    expect(chat.stderr.trim()).toMatch(/^trace-socket: --processes applies only to your own app/);
  });
});

describe.skipIf(redisGate.skip)(`your own app as two processes on a real Redis${redisGate.titleNote}`, () => {
  let redis: RedisServer;
  let trace: Trace;

  beforeAll(async () => {
    redisGate.assertPresent();
    redis = await startRedis();
    const { code, stdout, stderr } = await runCli(["export", APP, "--processes", "2", "--emit", 'say="hi"', "--format", "json", "-o", "-"], { REDIS_URL: redis.url, PORT: "" });
    expect(code, stderr).toBe(0);
    trace = JSON.parse(stdout) as Trace;
  }, 120_000);

  afterAll(async () => {
    await redis?.stop();
  });

  it("traces both processes, each told which instance it is, each listening on a port of its own", () => {
    expect(trace.meta.processes?.map((p) => p.name)).toEqual(["A", "B"]);
    const [a, b] = trace.meta.processes!;
    expect(a.address).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(b.address).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(a.address).not.toBe(b.address);
    // The app's own line, from each process: NODE_APP_INSTANCE is 0 in A, 1 in B.
    const said = (id: number): string | undefined => trace.logs.find((l) => l.process === id && /as instance/.test(l.text))?.text;
    expect(said(0)).toMatch(/as instance 0$/);
    expect(said(1)).toMatch(/as instance 1$/);
    // Each process's steps are told with its own address: B's listen step names B's port, never A's.
    const told = trace.steps.filter((s) => s.title.startsWith("B · ")).map((s) => s.explanation ?? "").join("\n");
    expect(told, told).toContain(b.address!);
    expect(told).not.toContain(a.address!);
  });

  it("has each process's start-up steps, holding its own calls only, then a client on each", () => {
    const ids = trace.steps.map((s) => s.id);
    const runA = ids.indexOf("A-run");
    const runB = ids.indexOf("B-run");
    expect(runA, ids.join(" ")).toBeGreaterThan(0);
    expect(runB).toBeGreaterThan(runA);
    expect(ids.slice(runB + 1)).toEqual(["A-connect", "B-connect", "A-emit", "B-emit", "A-disconnect", "B-disconnect"]);
    for (const [i, step] of trace.steps.entries()) {
      if (i > runB) break;
      const own = i <= runA ? 0 : 1;
      expect(step.title.startsWith(own === 0 ? "A · " : "B · "), step.title).toBe(true);
      // B's last start-up step may hold A's first calls after its start-up; the others hold their own only.
      if (i === runB) continue;
      expect(allCalls(expandTurns(step)).every((c) => c.process === own), step.id).toBe(true);
    }
    expect(allCalls(expandTurns(trace.steps[runA])).some((c) => c.process === 0)).toBe(true);
    // Each client connected to its own process.
    expect(connectedTo(trace, "A-connect", 0)).toBe(true);
    expect(connectedTo(trace, "B-connect", 1)).toBe(true);
  });

  it("each disconnect ends when its client's connections close, not waiting on the app's Redis connections, which stay open", () => {
    const notes = trace.steps.filter((s) => s.id.endsWith("-disconnect")).map((s) => s.explanation ?? "");
    expect(notes).toHaveLength(2);
    for (const note of notes) expect(note).not.toContain("gave up waiting");
  });

  it("links A's broadcast through Redis to B's receipt and to the frame B writes to its client", () => {
    const step = trace.steps.find((s) => s.id === "A-emit")!;
    const link = trace.links?.find((l) => l.channel.startsWith("socket.io#/#") && step.chunks.includes(l.from.chunk));
    expect(link, JSON.stringify(trace.links)).toMatchObject({ from: { process: "A" }, to: { process: "B" } });
    const calls = new Map(trace.steps.flatMap((s) => allCalls(expandTurns(s))).map((c) => [c.seq, c]));
    const name = (seq: number): string | undefined => trace.functions.find((f) => f.id === calls.get(seq)?.fn)?.name;
    expect(link!.from.call).toBeDefined();
    expect(name(link!.from.call!)).toMatch(/RedisAdapter\./);
    expect(calls.get(link!.from.call!)?.process).toBe(0);
    // B's receipt: the calls that Redis message started run RedisAdapter.onmessage, and under it the write to B's client.
    const to = link!.to;
    expect(to.call).toBeDefined();
    const started = [...calls.values()].filter((c) => c.process === 1 && c.seq >= to.call! && c.seq < (to.callEnd ?? to.call! + 1));
    const under = started.flatMap((c) => allCalls([c]));
    expect(under.map((c) => name(c.seq))).toContain("RedisAdapter.onmessage");
    const clientConns = new Set(trace.connections.filter((c) => c.process === 1 && !c.outgoing).map((c) => c.id));
    const seqs = new Set(under.map((c) => c.seq));
    const frame = trace.chunks.find((c) => c.dir === "out" && clientConns.has(c.conn) && c.call !== undefined && seqs.has(c.call) && Buffer.from(c.data, "base64").toString("latin1").includes('["said","hi"]'));
    expect(frame, "the frame B wrote to its own client, under the receipt").toBeDefined();
  });
});
