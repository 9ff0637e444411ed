/**
 * A small, hand-made trace for the stepper tests: three steps, a nested call
 * tree, polling and WebSocket frames linked to their calls, and log lines with
 * the kind of bytes (colours, tabs) that must never reach the screen raw.
 */
import type { SourceView } from "../../src/source/types.js";
import type { CallNode, Chunk, FunctionInfo, LogLine, Step, Trace } from "../../src/trace/model.js";
import { SCHEMA_NAME, SCHEMA_VERSION } from "../../src/trace/model.js";
import { clientFrame, httpMessage, wsFrame } from "../wire/helpers.js";

const FUNCTIONS: readonly Omit<FunctionInfo, "id">[] = [
  { name: "Server.constructor", file: "node_modules/socket.io/dist/index.js", line: 99, column: 5, endLine: 140, pkg: "socket.io", version: "4.8.1", kind: "constructor", className: "Server" },
  { name: "Server.of", file: "node_modules/socket.io/dist/index.js", line: 461, column: 5, endLine: 480, pkg: "socket.io", version: "4.8.1", kind: "method" },
  { name: "Namespace.constructor", file: "node_modules/socket.io/dist/namespace.js", line: 73, column: 5, endLine: 90, pkg: "socket.io", version: "4.8.1", kind: "constructor" },
  { name: "Server.attach", file: "node_modules/socket.io/dist/index.js", line: 224, column: 5, endLine: 250, pkg: "socket.io", version: "4.8.1", kind: "method" },
  { name: "<anonymous request listener in Server.attach>", file: "node_modules/engine.io/build/server.js", line: 674, column: 9, endLine: 690, pkg: "engine.io", version: "6.6.4", kind: "closure" },
  { name: "Server.handleRequest", file: "node_modules/engine.io/build/server.js", line: 250, column: 5, endLine: 300, pkg: "engine.io", version: "6.6.4", kind: "method" },
  { name: "Socket.sendPacket", file: "node_modules/engine.io/build/socket.js", line: 386, column: 5, endLine: 410, pkg: "engine.io", version: "6.6.4", kind: "method" },
  { name: "Socket.onPacket", file: "node_modules/engine.io/build/socket.js", line: 103, column: 5, endLine: 150, pkg: "engine.io", version: "6.6.4", kind: "method" },
  { name: "<anonymous connection handler in server.mjs>", file: "traces/chat/server.mjs", line: 22, column: 17, endLine: 30, pkg: "app", kind: "arrow" },
];

/** Functions of the fixture, by name, for assertions. */
export const FN = Object.fromEntries(FUNCTIONS.map((f, id) => [f.name, id])) as Record<string, number>;

function call(seq: number, fn: string, children: CallNode[] = [], extra: Partial<CallNode> = {}): CallNode {
  return { seq, fn: FN[fn], start: seq, end: seq + 1, children, ...extra };
}

function chunk(seq: number, conn: number, dir: "in" | "out", data: Uint8Array, callSeq?: number): Chunk {
  return { seq, conn, dir, time: 100 + seq, data: Buffer.from(data).toString("base64"), size: data.length, ...(callSeq !== undefined ? { call: callSeq } : {}) };
}

const OPEN = '0{"sid":"abc123","upgrades":["websocket"],"pingInterval":25000,"pingTimeout":20000,"maxPayload":1000000}';

/** Chunks: a polling handshake on conn 1, an upgrade and WebSocket frames on conn 2. */
const CHUNKS: readonly Chunk[] = [
  chunk(1, 1, "in", httpMessage("GET /socket.io/?EIO=4&transport=polling HTTP/1.1", ["Host: 127.0.0.1"]), 20),
  chunk(2, 1, "out", httpMessage("HTTP/1.1 200 OK", ["Content-Type: text/plain; charset=UTF-8"], OPEN), 23),
  chunk(3, 2, "in", httpMessage("GET /socket.io/?EIO=4&transport=websocket&sid=abc123 HTTP/1.1", ["Host: 127.0.0.1", "Upgrade: websocket", "Connection: Upgrade", "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==", "Sec-WebSocket-Version: 13"])),
  chunk(4, 2, "out", httpMessage("HTTP/1.1 101 Switching Protocols", ["Upgrade: websocket", "Connection: Upgrade", "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo="])),
  chunk(5, 2, "in", clientFrame('42["chat message","hi"]'), 31),
  chunk(6, 2, "out", wsFrame('42["chat message","hi"]'), 34),
];

function step(index: number, id: string, title: string, calls: CallNode[], chunks: number[], extra: Partial<Step> = {}): Step {
  return { index, id, title, explanation: `Explanation of ${id}.`, values: {}, started: index * 100, ended: index * 100 + 99, calls, chunks, ...extra };
}

/** A deep chain, for scrolling and indentation tests. */
export function chain(from: number, depth: number): CallNode {
  let node = call(from + depth - 1, "Socket.onPacket");
  for (let i = depth - 2; i >= 0; i--) node = call(from + i, "Socket.onPacket", [node]);
  return node;
}

/** The fixture trace; `extraCalls` adds that many leaf calls to step 1 (scrolling). */
export function fixtureTrace(options: { readonly extraCalls?: number; readonly logs?: readonly LogLine[] } = {}): Trace {
  const extra = Array.from({ length: options.extraCalls ?? 0 }, (_, i) => call(1000 + i, "Server.of"));
  const steps: Step[] = [
    step(0, "init", "init: new Server(httpServer, options)", [
      call(1, "Server.constructor", [call(2, "Server.of", [call(3, "Namespace.constructor")]), call(4, "Server.attach")]),
      ...extra,
    ], [], { code: { file: "traces/chat/server.mjs", line: 20, text: "const io = new Server(httpServer);", side: "server" } }),
    step(1, "connect", "connect: the client calls io(url)", [
      call(20, "<anonymous request listener in Server.attach>", [call(21, "Server.handleRequest", [call(22, "Socket.onPacket"), call(23, "Socket.sendPacket")])]),
      call(30, "Socket.onPacket", [call(31, "<anonymous connection handler in server.mjs>")], { async: { kind: "io", from: 23 } }),
    ], [1, 2, 3, 4]),
    step(2, "message", "message: socket.emit(\"chat message\", \"hi\")", [
      call(31, "Socket.onPacket", [call(32, "<anonymous connection handler in server.mjs>", [call(34, "Socket.sendPacket")])]),
    ], [5, 6]),
  ];
  return {
    meta: { schema: SCHEMA_NAME, version: SCHEMA_VERSION, tool: "0.1.0", node: "v20.20.0", platform: "linux-x64", startedAt: "2025-01-01T00:00:00.000Z", command: "trace-socket", scenario: "chat", packages: { "socket.io": "4.8.1" }, address: "http://127.0.0.1:40000" },
    functions: FUNCTIONS.map((f, id) => ({ ...f, id })),
    steps,
    connections: [
      { id: 1, remote: "127.0.0.1:50000", local: "127.0.0.1:40000", opened: 100 },
      { id: 2, remote: "127.0.0.1:50001", local: "127.0.0.1:40000", opened: 102 },
    ],
    chunks: CHUNKS,
    logs: options.logs ?? [
      { time: 1200, source: "stdout", text: "chat listening on 40000" },
      { time: 1300, source: "stderr", text: "\u001b[31m  socket.io:server\u001b[0m\tincoming connection" },
      { time: 1400, source: "client", text: "ack: {\"received\":true}" },
    ],
    dropped: { calls: 0, chunks: 0, bytes: 0, logs: 0 },
  };
}

/** What `describe` answers for Server.attach. */
export const ATTACH_VIEW: SourceView = {
  fn: { ...FUNCTIONS[FN["Server.attach"]], id: FN["Server.attach"] },
  local: { path: FUNCTIONS[FN["Server.attach"]].file, line: 224, endLine: 250, text: `${FUNCTIONS[FN["Server.attach"]].file}:224` },
  excerpt: {
    declarationLine: 224,
    lines: [
      { number: 224, text: "    attach(srv, opts = {}) {" },
      { number: 225, text: "\tif (typeof srv === \"function\") {" },
      { number: 250, text: "    }" },
    ],
    omitted: 24,
  },
  doc: { text: "Attaches socket.io to a server or port.", tags: [{ tag: "param", text: "srv - server or port" }, { tag: "example", text: "io.attach(server);" }] },
  upstream: {
    kind: "permalink",
    url: "https://github.com/socketio/socket.io/blob/socket.io%404.8.1/packages/socket.io/lib/index.ts#L300-L330",
    owner: "socketio",
    repo: "socket.io",
    tag: "socket.io@4.8.1",
    path: "packages/socket.io/lib/index.ts",
    startLine: 300,
    endLine: 330,
    target: "member",
  },
  notes: [],
};
