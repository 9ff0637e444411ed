import { describe, expect, it } from "vitest";
import { stabilize, STABLE_DATE } from "../../src/export/stabilize.js";
import { renderMarkdown } from "../../src/export/markdown.js";
import { serializeTrace } from "../../src/trace/trace-file.js";
import { walkCalls } from "../../src/trace/call-tree.js";
import { decodeChunks } from "../../src/wire/index.js";
import type { Trace } from "../../src/trace/model.js";
import { chatSources, chatTrace, RANDOM } from "../fixtures/export/chat-trace.js";
import { expandTurns } from "../../src/trace/turns.js";

/** Another "run" of the same scenario: every random value different, the concurrent connections read the other way round. */
const OTHER_RUN = {
  sids: { engine: "qQ1-wW2_eE3rR4tTAAAA", socket: "mM9_nN8-bB7vV6cCAAAB" },
  port: 39876,
  mask: [0x01, 0x02, 0x03, 0x04],
  startedAt: "2027-01-02T03:04:05.678Z",
  swapConcurrent: true,
} as const;

function everything(trace: Trace): string {
  return serializeTrace(trace) + decodeChunks(trace.chunks).map((m) => `${m.raw}\n${JSON.stringify(m.layers)}`).join("\n");
}

describe("stabilize", () => {
  it("removes every value a run picks at random or reads from the clock, in frames too", () => {
    const text = everything(stabilize(chatTrace()));
    for (const value of [RANDOM.engineSid, RANDOM.socketSid, String(RANDOM.port), ...RANDOM.clientPorts.map(String), RANDOM.wsKey, RANDOM.wsAccept, RANDOM.date, "37fa213d", "Pabc12", "2026-11-25"]) {
      expect(text, value).not.toContain(value);
    }
  });

  it("gives the same id the same placeholder everywhere: frames, narration, values, logs", () => {
    const stable = stabilize(chatTrace());
    const engine = "eio-sid-1-----------";
    const socket = "sio-sid-1-----------";
    expect(engine).toHaveLength(RANDOM.engineSid.length);
    const raws = decodeChunks(stable.chunks).map((m) => m.raw);
    expect(raws).toContain(`GET /socket.io/?EIO=4&transport=polling&t=TTTTTTTT&sid=${engine} HTTP/1.1`);
    expect(stable.steps[0].explanation).toBe(`Step init with sid ${engine} on http://127.0.0.1:PORT, pingInterval 1500.`);
    expect(stable.steps[0].values.sid).toBe(engine);
    expect(stable.logs.map((l) => l.text)).toEqual([
      'chat listening on {"address":"127.0.0.1","family":"IPv4","port":PORT}',
      `connected: ${socket} via polling`,
      "socket.io:server incoming connection +Nms",
    ]);
    expect(stable.meta.address).toBe("http://127.0.0.1:PORT");
    expect(stable.connections.map((c) => c.remote)).toEqual(["127.0.0.1:CLIENT-PORT-1", "127.0.0.1:CLIENT-PORT-2", "127.0.0.1:CLIENT-PORT-3", "127.0.0.1:CLIENT-PORT-4"]);
  });

  it("keeps every frame decodable, lengths right: masks become 00000000 and payloads read the same", () => {
    const before = decodeChunks(chatTrace().chunks);
    const after = decodeChunks(stabilize(chatTrace()).chunks);
    // Same messages, same sizes; the order is the stable one (connection by connection).
    expect(after.map((m) => m.size).sort()).toEqual(before.map((m) => m.size).sort());
    for (const m of after) {
      expect(m.malformed).toBeUndefined();
      for (const layer of m.layers) expect((layer as { malformed?: string }).malformed).toBeUndefined();
    }
    const masked = after.flatMap((m) => m.layers).filter((l) => l.kind === "ws-frame" && l.masked);
    expect(masked.length).toBeGreaterThan(4);
    for (const frame of masked) expect(frame.kind === "ws-frame" && frame.maskKey).toBe("00000000");
    const payloads = (messages: typeof before) => messages.flatMap((m) => m.layers).filter((l) => l.kind === "ws-frame").map((l) => l.kind === "ws-frame" && l.payload);
    expect(payloads(after)).toEqual(payloads(before));
    const upgrade = decodeChunks(stabilize(chatTrace()).chunks).find((m) => m.raw.startsWith("HTTP/1.1 101"))!;
    const head = upgrade.layers[0];
    expect(head.kind === "http-response" && head.headers).toContainEqual(["Sec-WebSocket-Accept", "ICX+Yqv66kxgM0FcWaLWlFLwTAI="]);
  });

  it("sets times to 0 and numbers calls and chunks 1, 2, 3… in order", () => {
    const stable = stabilize(chatTrace());
    expect(stable.meta.startedAt).toBe(STABLE_DATE);
    const seqs: number[] = [];
    for (const step of stable.steps) {
      expect([step.started, step.ended]).toEqual([0, 0]);
      walkCalls(expandTurns(step), (node) => {
        seqs.push(node.seq);
        expect([node.start, node.end]).toEqual([0, 0]);
      });
    }
    expect(seqs).toEqual(seqs.map((_, i) => i + 1));
    expect(stable.chunks.map((c) => c.seq)).toEqual(stable.chunks.map((_, i) => i + 1));
    expect(stable.chunks.every((c) => c.time === 0)).toBe(true);
    expect(stable.logs.every((l) => l.time === 0)).toBe(true);
  });

  it("makes two runs that differ in every random value and in the order of concurrent connections identical", () => {
    const a = stabilize(chatTrace());
    const b = stabilize(chatTrace(OTHER_RUN));
    expect(serializeTrace(b)).toBe(serializeTrace(a));
    expect(renderMarkdown(b, chatSources(b), { stable: true })).toBe(renderMarkdown(a, chatSources(a), { stable: true }));
  });

  it("lists concurrent connections in a fixed order, each step's callbacks grouped by connection", () => {
    const stable = stabilize(chatTrace(OTHER_RUN));
    const firstLines = stable.connections.map((c) => {
      const first = decodeChunks(stable.chunks).find((m) => m.conn === c.id && m.dir === "in");
      return first?.raw.split(" ")[0];
    });
    // Ordered by request line: the handshake, the long poll, the upgrade, the POST.
    expect(firstLines).toEqual(["GET", "GET", "GET", "POST"]);
    const connect = stable.steps[1];
    const connOfRoot = expandTurns(connect).map((root) => stable.chunks.find((c) => c.call === root.seq)?.conn);
    // The promise continuation (second) writes the handshake's answer: it stays with connection 1.
    expect(connOfRoot).toEqual([1, 1, 2, 3, 4]);
  });

  it("is idempotent", () => {
    const once = stabilize(chatTrace(OTHER_RUN));
    expect(serializeTrace(stabilize(once))).toBe(serializeTrace(once));
  });
});
