/**
 * The bad-input corpus: what a hostile or broken client can send a socket.io
 * server, one case per known advisory of the family or rule of the protocols.
 * Each case only sends; `corpus.test.ts` runs it against the traced and the
 * untraced chat server and compares what came back.
 *
 * `expect` is what any socket.io 4 server answers (checked on both), `trace`
 * what the capture must show about the bytes sent (matched against the
 * decoded layers' one-line summaries of the case's connections).
 */
import { Buffer } from "node:buffer";
import {
  RawConnection, enginePath, frame, httpRequest, openPollingSession, openWsSession, upgradeRequest, type SettleOptions,
} from "../helpers/raw-clients.js";

/** What a case left behind for the test to judge. */
export interface Attack {
  /** The connection whose answer is compared (all of it, handshake included). */
  readonly connection: RawConnection;
  /** Every connection the case opened (the test closes them). */
  readonly connections: readonly RawConnection[];
}

/** One case of the corpus. */
export interface AttackCase {
  readonly name: string;
  /** The advisory, CVE or protocol rule it probes. */
  readonly probes: string;
  readonly run: (port: number) => Promise<Attack>;
  readonly settle?: SettleOptions;
  /**
   * What every server must do: lines of the normalised reply that must appear, whether it
   * closes the connection, and within how many ms of the first byte sent (ReDoS cases).
   */
  readonly expect: { readonly reply?: readonly RegExp[]; readonly closed?: boolean; readonly closedWithinMs?: number };
  /** Patterns that decoded layers of the case's inbound messages must show. */
  readonly trace: readonly RegExp[];
}

/** Sends bytes on a fresh connection, in pieces when given several. */
function raw(...pieces: readonly (Uint8Array | string)[]): (port: number) => Promise<Attack> {
  return async (port) => {
    const connection = await RawConnection.open(port);
    for (const piece of pieces) await connection.write(piece);
    return { connection, connections: [connection] };
  };
}

/** Opens a WebSocket session (joined to `/` unless `connect` is false), then sends frames. */
function overWs(frames: readonly Uint8Array[], connect = true): (port: number) => Promise<Attack> {
  return async (port) => {
    const { connection } = await openWsSession(port, connect);
    for (const f of frames) await connection.write(f);
    return { connection, connections: [connection] };
  };
}

/** Opens a polling session, then sends a request built for its sid on a second connection. */
function withSid(request: (sid: string) => Uint8Array): (port: number) => Promise<Attack> {
  return async (port) => {
    const sid = await openPollingSession(port);
    const connection = await RawConnection.open(port);
    await connection.write(request(sid));
    return { connection, connections: [connection] };
  };
}

const POLLING = enginePath("EIO=4&transport=polling");
const pollingPost = (sid: string): string => `POST ${enginePath(`EIO=4&transport=polling&sid=${sid}`)} HTTP/1.1`;
const get = (query: string): Buffer => httpRequest(`GET ${enginePath(query)} HTTP/1.1`);

/** A Socket.IO BINARY_EVENT header whose placeholder `num` is `num` (JSON), then one attachment. */
function placeholder(num: string): (port: number) => Promise<Attack> {
  return overWs([frame(`451-["ev",{"_placeholder":true,"num":${num}}]`), frame(Buffer.from([1, 2, 3]), { opcode: 2 })]);
}

const DEPTH = 50_000;
const deep = (inner = ""): string => "[".repeat(DEPTH) + inner + "]".repeat(DEPTH);

/** engine.io closed the session: ws sends a close frame without a code and waits for ours. */
const ENGINE_CLOSE = { reply: [/^ws close \(no code\)$/], closed: false } as const;
const wsClose = (code: number): RegExp => new RegExp(`^ws close ${code}\\b`);
const BAD_REQUEST = /^HTTP\/1\.1 400 Bad Request$/;

/** The corpus, in the order it runs. */
export const ATTACK_CASES: readonly AttackCase[] = [
  // ── socket.io-parser ──────────────────────────────────────────────────────
  {
    name: 'placeholder num is a string ("0")',
    probes: "CVE-2023-32695 (socket.io-parser < 4.2.3): placeholder num type confusion",
    run: placeholder('"0"'),
    expect: ENGINE_CLOSE,
    trace: [/Socket\.IO BINARY_EVENT, nsp \/, 1 attachment\(s\)/, /illegal attachments/],
  },
  {
    name: "placeholder num is an object ({})",
    probes: "CVE-2023-32695: placeholder num type confusion",
    run: placeholder("{}"),
    expect: ENGINE_CLOSE,
    trace: [/illegal attachments/],
  },
  {
    name: "placeholder num out of range (99)",
    probes: "CVE-2023-32695: placeholder index past the attachments",
    run: placeholder("99"),
    expect: ENGINE_CLOSE,
    trace: [/illegal attachments/],
  },
  {
    name: "event name is an object",
    probes: "socket.io-parser 4.2.x payload validation (event name must be a string or number)",
    run: overWs([frame('42[{"toString":1}]')]),
    expect: ENGINE_CLOSE,
    trace: [/malformed: invalid payload/],
  },
  {
    name: 'an "error" event from the client',
    probes: "CVE-2024-38355 (socket.io < 4.6.2): unhandled 'error' event crashes the process",
    run: overWs([frame('42["error","x"]')]),
    expect: { closed: false },
    trace: [/Socket\.IO EVENT, nsp \/ \["error","x"\]/],
  },
  {
    name: "attachment bomb (999999 attachments declared)",
    probes: "socket.io-parser maxAttachments (unbounded buffering of declared attachments)",
    run: overWs([frame('45999999-["ev",{"_placeholder":true,"num":0}]')]),
    expect: ENGINE_CLOSE,
    trace: [/too many attachments/],
  },
  {
    name: "binary message without a binary packet header",
    probes: "socket.io-parser: binary data when not reconstructing",
    run: overWs([frame(Buffer.from([0xde, 0xad]), { opcode: 2 })]),
    expect: ENGINE_CLOSE,
    trace: [/ATTACHMENT.*malformed: got binary data when not reconstructing a packet/],
  },
  {
    name: "50,000-deep nested JSON in an event",
    probes: "stack exhaustion in recursive JSON handling (parse, hasBinary, display)",
    run: overWs([frame(`42["nobody listens",${deep()}]`)]),
    expect: { closed: false },
    trace: [/Socket\.IO EVENT, nsp \/ \["nobody listens",\[\[\[/],
  },
  {
    name: "50,000-deep nesting around a placeholder",
    probes: "stack exhaustion in socket.io-parser's recursive reconstructPacket",
    run: overWs([frame(`451-["ev",${deep('{"_placeholder":true,"num":0}')}]`), frame(Buffer.from([7]), { opcode: 2 })]),
    expect: ENGINE_CLOSE,
    trace: [/Socket\.IO BINARY_EVENT, nsp \/, 1 attachment\(s\)/],
  },
  // ── Socket.IO protocol state ──────────────────────────────────────────────
  {
    name: "second CONNECT for the same namespace",
    probes: "socket.io Client.ondecoded: CONNECT for a namespace already joined",
    run: overWs([frame('40{"token":"let-me-in"}')]),
    expect: ENGINE_CLOSE,
    trace: [/Socket\.IO CONNECT, nsp \/ \{"token":"let-me-in"\}/],
  },
  {
    name: "event to a namespace not joined",
    probes: "socket.io Client.ondecoded: packet for a namespace without a socket",
    run: overWs([frame('42/admin,["chat message","x"]')]),
    expect: ENGINE_CLOSE,
    trace: [/Socket\.IO EVENT, nsp \/admin/],
  },
  {
    name: "CONNECT to a namespace that does not exist",
    probes: "socket.io Server: unknown namespace → CONNECT_ERROR",
    run: overWs([frame("40/nope,")]),
    expect: { reply: [/^ws text 44\/nope,\{"message":"Invalid namespace"\}$/], closed: false },
    trace: [/Socket\.IO CONNECT, nsp \/nope/],
  },
  {
    name: "CONNECT without the token (middleware rejects)",
    probes: "socket.io middleware error → CONNECT_ERROR, connection kept",
    run: overWs([frame("40")], false),
    expect: { reply: [/^ws text 44\{"message":"unauthorized"\}$/], closed: false },
    trace: [/Socket\.IO CONNECT, nsp \//],
  },
  {
    name: "unknown Socket.IO packet type",
    probes: "socket.io-parser: unknown packet type",
    run: overWs([frame("49")]),
    expect: ENGINE_CLOSE,
    trace: [/unknown packet type 9/],
  },
  {
    name: "EVENT whose payload is an object",
    probes: "socket.io-parser: invalid payload",
    run: overWs([frame('42{"a":1}')]),
    expect: ENGINE_CLOSE,
    trace: [/invalid payload/],
  },
  // ── Engine.IO ──────────────────────────────────────────────────────────────
  {
    name: "unknown Engine.IO packet type over WebSocket",
    probes: "engine.io-parser: error packet → parse error",
    run: overWs([frame("9hello")]),
    expect: ENGINE_CLOSE,
    trace: [/Engine\.IO error 9hello \(malformed: unknown packet type "9"\)/],
  },
  {
    name: "empty WebSocket text message",
    probes: "engine.io-parser: empty packet",
    run: overWs([frame("")]),
    expect: ENGINE_CLOSE,
    trace: [/empty packet/],
  },
  {
    name: "polling batch with a bad packet after a good one",
    probes: "engine.io-parser decodePayload stops at the first bad packet",
    run: withSid((sid) => httpRequest(pollingPost(sid), ["Content-Type: text/plain;charset=UTF-8"], '40{"token":"let-me-in"}\x1e9x')),
    expect: { reply: [/^HTTP\/1\.1 200 OK$/] },
    trace: [/packet 2 of 2: unknown packet type "9"/],
  },
  {
    name: "binary content-type on a v4 polling POST",
    probes: "engine.io polling: invalid content",
    run: withSid((sid) => httpRequest(pollingPost(sid), ["Content-Type: application/octet-stream"], "4hi")),
    expect: { reply: [BAD_REQUEST] },
    trace: [/HTTP POST \/socket\.io\/\?EIO=4&transport=polling&sid=/],
  },
  {
    name: "polling batch of 200 packets of 4,000 characters",
    probes: "display bounds: a large batch must not become one huge line",
    run: withSid((sid) => httpRequest(pollingPost(sid), ["Content-Type: text/plain;charset=UTF-8"], Array.from({ length: 200 }, () => `4${"x".repeat(4000)}`).join("\x1e"))),
    expect: { reply: [/^HTTP\/1\.1 200 OK$/] },
    trace: [/Engine\.IO message x{100}/],
  },
  // ── query values ──────────────────────────────────────────────────────────
  ...["__proto__", "constructor", "toString", "hasOwnProperty"].map((value): AttackCase => ({
    name: `transport=${value}`,
    probes: "engine.io verify(): transport looked up on a plain object (prototype pollution class)",
    run: raw(get(`EIO=4&transport=${value}`)),
    expect: { reply: [BAD_REQUEST, /body \{"code":0,"message":"Transport unknown"\}/] },
    trace: [new RegExp(`HTTP GET /socket\\.io/\\?EIO=4&transport=${value}`)],
  })),
  ...["__proto__", "constructor"].map((value): AttackCase => ({
    name: `sid=${value}`,
    probes: "engine.io verify(): sid looked up with hasOwn",
    run: raw(get(`EIO=4&transport=polling&sid=${value}`)),
    expect: { reply: [BAD_REQUEST, /body \{"code":1,"message":"Session ID unknown"\}/] },
    trace: [new RegExp(`sid=${value}`)],
  })),
  {
    name: "EIO=3 (protocol v3 not allowed)",
    probes: "engine.io allowEIO3 false",
    run: raw(get("EIO=3&transport=polling")),
    expect: { reply: [BAD_REQUEST, /"message":"Unsupported protocol version"/] },
    trace: [/HTTP GET \/socket\.io\/\?EIO=3/],
  },
  {
    name: "EIO=__proto__ and a repeated transport",
    probes: "engine.io query parsing with odd keys and repeated values",
    run: raw(get("EIO=__proto__&transport=polling&transport=websocket&__proto__[x]=1")),
    expect: { reply: [BAD_REQUEST] },
    trace: [/HTTP GET \/socket\.io\/\?EIO=__proto__/],
  },
  {
    name: "broken percent-encoding in the query",
    probes: "URL decoding of untrusted queries",
    run: raw(get("EIO=4&transport=polling&x=%E0%A4%A&%ZZ")),
    expect: { reply: [/^HTTP\/1\.1 200 OK$/, /body 0\{"sid":"<sid>"/] },
    trace: [/x=%E0%A4%A&%ZZ/],
  },
  {
    name: "a 15,000-character query string",
    probes: "display bounds: a long request target must not become one huge line",
    run: raw(get(`EIO=4&transport=polling&x=${"a".repeat(15_000)}`)),
    expect: { reply: [/^HTTP\/1\.1 200 OK$/, /body 0\{"sid":"<sid>"/] },
    trace: [/HTTP GET \/socket\.io\/\?EIO=4&transport=polling&x=a{100}/],
  },
  // ── HTTP ──────────────────────────────────────────────────────────────────
  {
    name: "oversize polling body (Content-Length > maxHttpBufferSize)",
    probes: "CVE-2020-36048 (engine.io < 3.6.0): unbounded polling body; maxHttpBufferSize 1e6",
    run: withSid((sid) => httpRequest(pollingPost(sid), ["Content-Type: text/plain;charset=UTF-8"], `4${"x".repeat(1_000_001)}`)),
    expect: { reply: [/^HTTP\/1\.1 413 Payload Too Large$/] },
    trace: [/HTTP POST .* \(1000002 B body\)/],
  },
  {
    name: "oversize chunked polling body",
    probes: "maxHttpBufferSize with Transfer-Encoding: chunked (no length up front)",
    run: withSid((sid) => {
      const piece = "x".repeat(60_000);
      const chunks = Array.from({ length: 18 }, () => `${piece.length.toString(16)}\r\n${piece}\r\n`).join("");
      return httpRequest(pollingPost(sid), ["Content-Type: text/plain;charset=UTF-8", "Transfer-Encoding: chunked"], `1\r\n4\r\n${chunks}0\r\n\r\n`);
    }),
    expect: { reply: [/^HTTP\/1\.1 413 Payload Too Large$/] },
    trace: [/HTTP POST \/socket\.io\/\?EIO=4&transport=polling&sid=/],
  },
  {
    name: "2,001 short headers on a handshake (under the 16 KiB head limit)",
    probes: "Node maxHeadersCount (2000): headers past it are dropped, request still served",
    run: raw(httpRequest(`GET ${POLLING} HTTP/1.1`, Array.from({ length: 2001 }, (_, i) => `a${i % 10}: b`))),
    expect: { reply: [/^HTTP\/1\.1 200 OK$/, /body 0\{"sid":"<sid>"/] },
    trace: [/2002 headers, more than 2000/],
  },
  {
    name: "2,500 headers past the 16 KiB head limit",
    probes: "Node --max-http-header-size (16 KiB): 431",
    run: raw(httpRequest(`GET ${POLLING} HTTP/1.1`, Array.from({ length: 2500 }, (_, i) => `x-h-${i}: value`))),
    expect: { reply: [/^HTTP\/1\.1 431 Request Header Fields Too Large$/], closed: true },
    trace: [/HTTP GET \/socket\.io\/\?EIO=4&transport=polling/],
  },
  {
    name: "Content-Length and Transfer-Encoding together",
    probes: "request smuggling (CL.TE); Node rejects",
    run: raw(httpRequest(`POST ${POLLING} HTTP/1.1`, ["Content-Length: 4", "Transfer-Encoding: chunked"], "0\r\n\r\n")),
    expect: { reply: [BAD_REQUEST], closed: true },
    trace: [/both Transfer-Encoding and Content-Length \(request smuggling risk\)/],
  },
  {
    name: "garbage instead of a request line",
    probes: "HTTP parser errors → 400 and close",
    run: raw("\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03 not http\r\n\r\n"),
    expect: { reply: [BAD_REQUEST], closed: true },
    trace: [/not an HTTP request line/],
  },
  // ── WebSocket handshake ───────────────────────────────────────────────────
  {
    name: "Sec-WebSocket-Protocol with a long run of spaces",
    probes: "CVE-2021-32640 (ws < 7.4.6): ReDoS in Sec-WebSocket-Protocol",
    run: raw(upgradeRequest(enginePath("EIO=4&transport=websocket"), [`Sec-WebSocket-Protocol: a${" ".repeat(12_000)}b`])),
    expect: { reply: [BAD_REQUEST, /body Invalid Sec-WebSocket-Protocol header/], closed: true, closedWithinMs: 1000 },
    trace: [/HTTP GET \/socket\.io\/\?EIO=4&transport=websocket/],
  },
  {
    name: "Sec-WebSocket-Protocol with a long run of commas",
    probes: "CVE-2021-32640: ReDoS-style protocol lists",
    run: raw(upgradeRequest(enginePath("EIO=4&transport=websocket"), [`Sec-WebSocket-Protocol: a${", ,".repeat(4000)}b`])),
    expect: { reply: [BAD_REQUEST, /body Invalid Sec-WebSocket-Protocol header/], closed: true, closedWithinMs: 1000 },
    trace: [/HTTP GET \/socket\.io\/\?EIO=4&transport=websocket/],
  },
  {
    name: "a body on the upgrade request",
    probes: "bytes after an upgrade head are read as WebSocket frames",
    run: raw(upgradeRequest(enginePath("EIO=4&transport=websocket"), ["Content-Length: 5"], "hello")),
    expect: { reply: [wsClose(1002)], closed: true },
    // "h" = 0x68: no FIN, RSV2+RSV3, opcode 8 (close).
    trace: [/HTTP GET \/socket\.io\/\?EIO=4&transport=websocket/, /RSV bits 110 set without a negotiated extension/],
  },
  // ── terminal safety: what the trace prints must not drive the terminal ─────────
  {
    name: "terminal escape sequences in a WebSocket message",
    probes: "ANSI/OSC injection into the terminal that shows the trace (ESC [2J, OSC 0 title)",
    run: overWs([frame("4\x1b[2J\x1b]0;owned\x07")]),
    expect: ENGINE_CLOSE,
    trace: [/Engine\.IO message/],
  },
  {
    name: "C1 control characters in a namespace",
    probes: "8-bit CSI (U+009B) injection through a Socket.IO namespace",
    run: overWs([frame('42/\u009b2J,["x"]')]),
    expect: ENGINE_CLOSE,
    trace: [/Socket\.IO EVENT, nsp \//],
  },
  {
    name: "an escape sequence as a close reason",
    probes: "ANSI injection through a WebSocket close reason",
    run: overWs([frame(Buffer.concat([Buffer.from([0x03, 0xe8]), Buffer.from("\x1b[2Jbye")]), { opcode: 8 })]),
    expect: { reply: [wsClose(1000)], closed: true },
    trace: [/WebSocket close frame, FIN, masked [0-9a-f]+, \d+ B \(7-bit length\) code 1000/],
  },
  {
    name: "C1 bytes in a request target",
    probes: "8-bit CSI injection through an HTTP request target",
    run: raw(httpRequest(`GET ${enginePath("EIO=4&transport=polling&x=\x9b2J")} HTTP/1.1`)),
    expect: {},
    trace: [/HTTP GET \/socket\.io\/\?EIO=4&transport=polling&x=/],
  },
  // ── RFC 6455 frames ───────────────────────────────────────────────────────
  {
    name: "thousands of empty fragments",
    probes: "ws fragment handling (no per-fragment cost limit)",
    run: overWs([
      frame("4", { fin: false }),
      Buffer.concat(Array.from({ length: 5000 }, () => frame("", { opcode: 0, fin: false }))),
      frame('2["chat message","frag"]', { opcode: 0 }),
    ]),
    expect: { reply: [/^ws text 42\["chat message","frag"\]$/], closed: false },
    trace: [/WebSocket continuation frame, FIN, masked [0-9a-f]+, 24 B/, /Socket\.IO EVENT, nsp \/ \["chat message","frag"\]/],
  },
  {
    name: "oversize WebSocket message (> maxPayload 1e6)",
    probes: "ws maxPayload = maxHttpBufferSize → close 1009",
    run: overWs([frame(`42["chat message","${"x".repeat(1_000_000)}"]`)]),
    expect: { reply: [wsClose(1009)], closed: true },
    trace: [/WebSocket text frame, FIN, masked [0-9a-f]+, 1000021 B \(64-bit length\)/],
  },
  {
    name: "invalid UTF-8 in a text frame",
    probes: "RFC 6455 §8.1 → close 1007",
    run: overWs([frame(Buffer.from([0x34, 0x32, 0xc3, 0x28]))]),
    expect: { reply: [wsClose(1007)], closed: true },
    trace: [/invalid UTF-8 in a text message/],
  },
  {
    name: "unmasked client frame",
    probes: "RFC 6455 §5.1 → close 1002",
    run: overWs([frame('42["chat message","x"]', { masked: false })]),
    expect: { reply: [wsClose(1002)], closed: true },
    trace: [/unmasked client-to-server frame/],
  },
  ...[4, 2, 1].map((rsv): AttackCase => ({
    name: `RSV bits ${rsv.toString(2).padStart(3, "0")} without an extension`,
    probes: "RFC 6455 §5.2 → close 1002",
    run: overWs([frame('42["chat message","x"]', { rsv })]),
    expect: { reply: [wsClose(1002)], closed: true },
    trace: [new RegExp(`RSV bits ${rsv.toString(2).padStart(3, "0")} set without a negotiated extension`)],
  })),
  {
    name: "reserved opcode 0x3",
    probes: "RFC 6455 §5.2 → close 1002",
    run: overWs([frame("x", { opcode: 3 })]),
    expect: { reply: [wsClose(1002)], closed: true },
    trace: [/reserved opcode 0x3/],
  },
  {
    name: "ping with 126 payload bytes",
    probes: "RFC 6455 §5.5 (control frames ≤ 125 bytes) → close 1002",
    run: overWs([frame("p".repeat(126), { opcode: 9 })]),
    expect: { reply: [wsClose(1002)], closed: true },
    trace: [/control frame with 126 payload bytes/],
  },
  {
    name: "fragmented close frame",
    probes: "RFC 6455 §5.5 (control frames must not be fragmented) → close 1002",
    run: overWs([frame(Buffer.from([0x03, 0xe8]), { opcode: 8, fin: false })]),
    expect: { reply: [wsClose(1002)], closed: true },
    trace: [/fragmented control frame/],
  },
  {
    name: "close frame with code 1005",
    probes: "RFC 6455 §7.4.1 (1005 must not be sent) → close 1002",
    run: overWs([frame(Buffer.from([0x03, 0xed]), { opcode: 8 })]),
    expect: { reply: [wsClose(1002)], closed: true },
    trace: [/close code 1005 is not allowed on the wire/],
  },
  {
    name: "continuation frame with nothing to continue",
    probes: "RFC 6455 §5.4 → close 1002",
    run: overWs([frame("x", { opcode: 0 })]),
    expect: { reply: [wsClose(1002)], closed: true },
    trace: [/continuation frame without a message to continue/],
  },
];
