/**
 * A receipt's handler when one TCP read carries two pub/sub messages: server A's subscriber reads
 * its own fetchSockets request echoed back and server B's response in one chunk, so the chunk's
 * push starts onrequest (the echo, ignored) and then onresponse. The chunk records the range of
 * calls its push started; the link claim looks within it. Hand-built recording, decoded and
 * linked by the real decoders and `crossLinks`.
 */
import { describe, expect, it } from "vitest";
import { evaluateStepClaims } from "../../src/claims/evaluate.js";
import type { Check } from "../../src/trace/claims-spec.js";
import type { CallNode, Chunk, FunctionInfo, Trace } from "../../src/trace/model.js";
import { SCHEMA_NAME, SCHEMA_VERSION } from "../../src/trace/model.js";
import { crossLinks } from "../../src/wire/cross-links.js";
import { decodeChunks } from "../../src/wire/decode-chunks.js";
import { join } from "../wire/helpers.js";
import { aggregate, bulk, command, msgpack } from "../wire/resp-helpers.js";

const ADAPTER = "node_modules/@socket.io/redis-adapter/dist/index.js";
const NAMES = ["RedisAdapter.fetchSockets", "RedisAdapter.onrequest", "RedisAdapter.onresponse", "RedisAdapter.publishResponse"];
const functions: FunctionInfo[] = NAMES.map((name, id) => ({
  id, name, file: ADAPTER, line: 100 + id, column: 5, endLine: 110 + id, pkg: "@socket.io/redis-adapter", version: "8.3.0", kind: "method",
  className: "RedisAdapter", member: name.split(".")[1],
}));
const FN = Object.fromEntries(NAMES.map((n, id) => [n, id]));

const REQUEST = "socket.io-request#/#";
const RESPONSE = "socket.io-response#/#";
const request = msgpack({ uid: "uid-A", requestId: "r1", type: 5, opts: { rooms: [], except: [] } });
const response = msgpack({ requestId: "r1", sockets: [{ id: "sid-2", rooms: ["sid-2", "room-B"] }] });
const pushOf = (channel: string, payload: Uint8Array) => aggregate("*", bulk("message"), bulk(channel), bulk(payload));

// Connections: A publishes on 1 and subscribes on 2; B publishes on 3 and subscribes on 4.
const processOf = (conn: number) => (conn <= 2 ? "A" : "B");

function chunk(seq: number, conn: number, dir: "in" | "out", bytes: Uint8Array, call?: number, callEnd?: number): Chunk {
  return { seq, conn, dir, time: seq, data: Buffer.from(bytes).toString("base64"), size: bytes.length, ...(call !== undefined ? { call } : {}), ...(callEnd !== undefined ? { callEnd } : {}) };
}

const node = (seq: number, fn: string, children: CallNode[] = []): CallNode => ({ seq, fn: FN[fn], start: seq, end: seq, children });

/** The recording; `ranged`: A's chunk carries the range of calls its push started (else only the first, as before). */
function recording(ranged: boolean): Trace {
  const chunks = [
    chunk(1, 2, "out", command("SUBSCRIBE", REQUEST, RESPONSE)),
    chunk(2, 4, "out", command("SUBSCRIBE", REQUEST, RESPONSE)),
    chunk(3, 1, "out", command("PUBLISH", REQUEST, request), 10),
    chunk(4, 4, "in", pushOf(REQUEST, request), 20, 22),
    chunk(5, 3, "out", command("PUBLISH", RESPONSE, response), 21),
    // One read, two messages: A's own request back (onrequest, #11) and B's response (onresponse, #12).
    chunk(6, 2, "in", join(pushOf(REQUEST, request), pushOf(RESPONSE, response)), 11, ranged ? 13 : undefined),
  ];
  const partial: Trace = {
    meta: { schema: SCHEMA_NAME, version: SCHEMA_VERSION, tool: "0.0.0", node: "v20", platform: "linux-x64", startedAt: "1970-01-01T00:00:00.000Z", command: "test", scenario: "redis", packages: {} },
    functions,
    steps: [{
      index: 0, id: "fetch-remote", title: "fetchSockets", explanation: "", values: {}, started: 0, ended: 10,
      calls: [node(10, "RedisAdapter.fetchSockets"), node(11, "RedisAdapter.onrequest"), node(12, "RedisAdapter.onresponse"), node(20, "RedisAdapter.onrequest", [node(21, "RedisAdapter.publishResponse")])],
      chunks: chunks.map((c) => c.seq),
    }],
    connections: [],
    chunks,
    logs: [],
    dropped: { calls: 0, chunks: 0, bytes: 0, logs: 0 },
  };
  return { ...partial, links: crossLinks(decodeChunks(chunks), processOf) };
}

function outcome(trace: Trace, check: Check) {
  return evaluateStepClaims(trace, decodeChunks(trace.chunks), trace.steps[0], [{ say: "it", check }])[0];
}

const collects: Check = { link: { channel: RESPONSE, from: "B", to: "A" }, receivedBy: "RedisAdapter.onresponse" };

describe("a link's receipt when one read carries two pub/sub messages", () => {
  it("the response is linked from B's PUBLISH to A's chunk, with the range of calls that chunk started", () => {
    const links = recording(true).links!.filter((l) => l.channel === RESPONSE);
    expect(links).toEqual([{ channel: RESPONSE, from: { process: "B", chunk: 5, call: 21 }, to: { process: "A", chunk: 6, call: 11, callEnd: 13 } }]);
  });

  it("receivedBy finds onresponse among the calls the chunk started, and names it as the evidence", () => {
    expect(outcome(recording(true), collects)).toMatchObject({ status: "held", evidence: [21, 12] });
  });

  it("with only the chunk's first call (the echo's onrequest), onresponse is missed: the flake this fixes", () => {
    expect(outcome(recording(false), collects)).toMatchObject({ status: "not-seen", reason: `the message on ${RESPONSE}… from server B to server A did not run RedisAdapter.onresponse on the receiving side` });
  });

  it("a call outside the range is not taken for the receipt's", () => {
    // B's onrequest (#20) received the request; it ran in another chunk's range.
    expect(outcome(recording(true), { link: { channel: RESPONSE, from: "B", to: "A" }, receivedBy: "RedisAdapter.publishResponse" }).status).toBe("not-seen");
    expect(outcome(recording(true), { link: { channel: REQUEST, from: "A", to: "B" }, receivedBy: "RedisAdapter.publishResponse" })).toMatchObject({ status: "held", evidence: [10, 21] });
  });
});
