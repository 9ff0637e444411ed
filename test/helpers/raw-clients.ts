/**
 * Hand-built clients on `node:net` for the hardening tests: raw HTTP requests,
 * WebSocket upgrades and RFC 6455 frames written byte by byte, so that a test
 * can send exactly what a well-behaved socket.io-client never would. Nothing is
 * mocked: these talk TCP to a real server on 127.0.0.1.
 */
import net from "node:net";
import { Buffer } from "node:buffer";

/** Options of {@link RawConnection.settle}. */
export interface SettleOptions {
  /** Stop once nothing arrived for this long (ms). */
  readonly quietMs?: number;
  /** Stop after this long whatever happens (ms). */
  readonly maxMs?: number;
}

/** The fixed WebSocket key of every upgrade here, so the `Sec-WebSocket-Accept` answer is fixed too. */
export const WS_KEY = "dGhlIHNhbXBsZSBub25jZQ==";

/** One TCP connection to the server under test, recording everything it receives. */
export class RawConnection {
  private readonly parts: Buffer[] = [];
  private size = 0;
  private lastActivity = Date.now();
  private wake?: () => void;
  /** The server ended or reset the connection (as opposed to us closing it). */
  closedByServer = false;
  /** Set when the connection failed with an error (ECONNRESET, EPIPE…). */
  error?: string;
  /** Our local port: how the traced server's capture names this connection (`remote`). */
  readonly localPort: number;
  /** When the connection was opened and when the server ended it (`Date.now()` ms). */
  readonly openedAt = Date.now();
  closedAt?: number;

  private constructor(private readonly socket: net.Socket) {
    this.localPort = socket.localPort ?? 0;
    socket.on("data", (data: Buffer) => {
      this.parts.push(data);
      this.size += data.length;
      this.activity();
    });
    socket.on("end", () => {
      this.closedByServer = true;
      this.closedAt ??= Date.now();
      this.activity();
    });
    socket.on("error", (error: NodeJS.ErrnoException) => {
      this.error = error.code ?? error.message;
      this.closedByServer = true;
      this.closedAt ??= Date.now();
      this.activity();
    });
    socket.on("close", () => {
      this.closedByServer ||= !this.destroyedByUs;
      this.activity();
    });
  }

  private destroyedByUs = false;

  /** Connects to `127.0.0.1:port`. */
  static open(port: number): Promise<RawConnection> {
    return new Promise((resolve, reject) => {
      const socket = net.connect({ host: "127.0.0.1", port, noDelay: true });
      socket.once("connect", () => resolve(new RawConnection(socket)));
      socket.once("error", reject);
    });
  }

  private activity(): void {
    this.lastActivity = Date.now();
    this.wake?.();
  }

  /** Whether the socket can no longer be written to or read from. */
  get closed(): boolean {
    return this.socket.destroyed || this.closedByServer;
  }

  /** All bytes received so far. */
  get received(): Buffer {
    if (this.parts.length > 1) this.parts.splice(0, this.parts.length, Buffer.concat(this.parts));
    return this.parts[0] ?? Buffer.alloc(0);
  }

  /** Number of bytes received so far; pass it to `since` to read only what came after. */
  get offset(): number {
    return this.size;
  }

  /** Bytes received after `offset`. */
  since(offset: number): Buffer {
    return this.received.subarray(offset);
  }

  /** Writes bytes (a string is sent as latin1, one byte per character); never throws. */
  write(data: Uint8Array | string): Promise<void> {
    const bytes = typeof data === "string" ? Buffer.from(data, "latin1") : data;
    this.lastActivity = Date.now();
    if (this.socket.destroyed || !this.socket.writable) return Promise.resolve();
    return new Promise((resolve) => {
      this.socket.write(bytes, () => resolve());
    });
  }

  /** Half-closes: sends FIN, keeps reading. */
  end(): void {
    this.socket.end();
  }

  /** Waits until `accept(received since offset)` holds, the connection closes, or `timeoutMs` passes. */
  async until(accept: (bytes: Buffer) => boolean, offset = 0, timeoutMs = 5000): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (accept(this.since(offset))) return true;
      if (this.closed) return accept(this.since(offset));
      await this.sleep(deadline - Date.now());
    }
    return accept(this.since(offset));
  }

  /** Waits until the server closes the connection or goes quiet. */
  async settle({ quietMs = 400, maxMs = 5000 }: SettleOptions = {}): Promise<void> {
    const deadline = Date.now() + maxMs;
    this.lastActivity = Math.max(this.lastActivity, Date.now());
    while (!this.socket.destroyed && Date.now() < deadline) {
      const quietFor = Date.now() - this.lastActivity;
      if (quietFor >= quietMs) return;
      await this.sleep(Math.min(quietMs - quietFor, deadline - Date.now()));
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, Math.max(1, ms));
      function done(): void {
        clearTimeout(timer);
        resolve();
      }
      this.wake = () => {
        this.wake = undefined;
        done();
      };
    });
  }

  /** Closes the connection from our side. */
  destroy(): void {
    this.destroyedByUs = true;
    this.socket.destroy();
  }
}

/** Options of a client frame. */
export interface ClientFrame {
  readonly opcode?: number;
  readonly fin?: boolean;
  /** RSV1..3 as a 3-bit number (RSV1 = 4). */
  readonly rsv?: number;
  /** False: send it unmasked (forbidden for a client). */
  readonly masked?: boolean;
}

const MASK = Buffer.from([0x37, 0xfa, 0x21, 0x3d]);

/** An RFC 6455 frame as a client sends it: masked unless told otherwise. */
export function frame(payload: Uint8Array | string, { opcode = 1, fin = true, rsv = 0, masked = true }: ClientFrame = {}): Buffer {
  const data = typeof payload === "string" ? Buffer.from(payload, "utf8") : Buffer.from(payload);
  const head: number[] = [(fin ? 0x80 : 0) | ((rsv & 7) << 4) | (opcode & 0x0f)];
  const maskBit = masked ? 0x80 : 0;
  if (data.length < 126) head.push(maskBit | data.length);
  else if (data.length < 65536) head.push(maskBit | 126, data.length >> 8, data.length & 0xff);
  else {
    head.push(maskBit | 127, 0, 0, 0, 0);
    head.push((data.length >>> 24) & 0xff, (data.length >>> 16) & 0xff, (data.length >>> 8) & 0xff, data.length & 0xff);
  }
  if (!masked) return Buffer.concat([Buffer.from(head), data]);
  for (let i = 0; i < data.length; i++) data[i] ^= MASK[i & 3];
  return Buffer.concat([Buffer.from(head), MASK, data]);
}

/** A frame the server sent (server frames are never masked). */
export interface ServerFrame {
  readonly fin: boolean;
  readonly rsv: number;
  readonly opcode: number;
  readonly payload: Buffer;
}

/** Splits unmasked server frames; a trailing incomplete frame is left out. */
export function serverFrames(bytes: Buffer): ServerFrame[] {
  const out: ServerFrame[] = [];
  let at = 0;
  while (at + 2 <= bytes.length) {
    const b0 = bytes[at];
    const len7 = bytes[at + 1] & 0x7f;
    let length = len7;
    let head = 2;
    if (len7 === 126) {
      if (at + 4 > bytes.length) break;
      length = bytes.readUInt16BE(at + 2);
      head = 4;
    } else if (len7 === 127) {
      if (at + 10 > bytes.length) break;
      length = Number(bytes.readBigUInt64BE(at + 2));
      head = 10;
    }
    if (at + head + length > bytes.length) break;
    out.push({ fin: (b0 & 0x80) !== 0, rsv: (b0 >> 4) & 7, opcode: b0 & 0x0f, payload: bytes.subarray(at + head, at + head + length) });
    at += head + length;
  }
  return out;
}

/** An HTTP/1.1 request with CRLF line ends; `Content-Length` is added for a body unless a header sets framing. */
export function httpRequest(startLine: string, headers: readonly string[] = [], body: string | Uint8Array = ""): Buffer {
  const bytes = typeof body === "string" ? Buffer.from(body, "latin1") : Buffer.from(body);
  const framed = headers.some((h) => /^(content-length|transfer-encoding):/i.test(h));
  const all = ["Host: 127.0.0.1", ...headers, ...(bytes.length > 0 && !framed ? [`Content-Length: ${bytes.length}`] : [])];
  return Buffer.concat([Buffer.from(`${[startLine, ...all].join("\r\n")}\r\n\r\n`, "latin1"), bytes]);
}

/** The Engine.IO path with a query string. */
export function enginePath(query: string): string {
  return `/socket.io/?${query}`;
}

/** The head of a WebSocket upgrade request for `target` (a path with query). */
export function upgradeRequest(target: string, extraHeaders: readonly string[] = [], body: string | Uint8Array = ""): Buffer {
  return httpRequest(`GET ${target} HTTP/1.1`, [
    "Connection: Upgrade",
    "Upgrade: websocket",
    "Sec-WebSocket-Version: 13",
    `Sec-WebSocket-Key: ${WS_KEY}`,
    ...extraHeaders,
  ], body);
}

/** Index after the blank line that ends the first HTTP head in `bytes`, or -1. */
export function headEnd(bytes: Buffer): number {
  const at = bytes.indexOf("\r\n\r\n", 0, "latin1");
  return at < 0 ? -1 : at + 4;
}

/** What a WebSocket session of socket.io got to before the test's own bytes. */
export interface WsSession {
  readonly connection: RawConnection;
  /** Offset of the first byte after the handshake: the test's part starts here. */
  readonly offset: number;
}

/**
 * Opens an Engine.IO WebSocket session directly (no polling first) and, unless
 * `connect` is false, joins the main namespace with the chat scenario's token.
 */
export async function openWsSession(port: number, connect = true): Promise<WsSession> {
  const connection = await RawConnection.open(port);
  await connection.write(upgradeRequest(enginePath("EIO=4&transport=websocket")));
  const framesAfterHead = (bytes: Buffer): ServerFrame[] => {
    const end = headEnd(bytes);
    return end < 0 ? [] : serverFrames(bytes.subarray(end));
  };
  const opened = await connection.until((b) => framesAfterHead(b).some((f) => f.payload.toString().startsWith("0{")));
  if (!opened) throw new Error(`no Engine.IO open packet over WebSocket: ${JSON.stringify(connection.received.toString("latin1"))}`);
  if (connect) {
    const before = framesAfterHead(connection.received).length;
    await connection.write(frame('40{"token":"let-me-in"}'));
    const joined = await connection.until((b) => framesAfterHead(b).slice(before).some((f) => f.payload.toString().startsWith("40")));
    if (!joined) throw new Error(`no Socket.IO CONNECT answer: ${JSON.stringify(connection.received.toString("latin1"))}`);
  }
  return { connection, offset: connection.offset };
}

/** Opens an Engine.IO long-polling session with one GET; returns its sid. */
export async function openPollingSession(port: number): Promise<string> {
  const connection = await RawConnection.open(port);
  try {
    await connection.write(httpRequest(`GET ${enginePath("EIO=4&transport=polling")} HTTP/1.1`));
    await connection.until((b) => /"sid":"[^"]+"/.test(b.toString("latin1")));
    const sid = /"sid":"([^"]+)"/.exec(connection.received.toString("latin1"))?.[1];
    if (!sid) throw new Error(`no open packet: ${JSON.stringify(connection.received.toString("latin1"))}`);
    return sid;
  } finally {
    connection.destroy();
  }
}

/**
 * The survival check: a fresh raw polling handshake must get a `0{"sid"…`
 * open packet with status 200. Returns the response text (or why it failed).
 */
export async function handshakeWorks(port: number, timeoutMs = 5000): Promise<{ ok: boolean; text: string }> {
  let connection: RawConnection;
  try {
    connection = await RawConnection.open(port);
  } catch (error) {
    return { ok: false, text: `connect failed: ${(error as Error).message}` };
  }
  try {
    await connection.write(httpRequest(`GET ${enginePath("EIO=4&transport=polling")} HTTP/1.1`));
    const done = (b: Buffer): boolean => /^HTTP\/1\.1 200 [^\r]*\r\n[\s\S]*\r\n\r\n0\{"sid":"/.test(b.toString("latin1"));
    const ok = await connection.until(done, 0, timeoutMs);
    return { ok, text: connection.received.toString("latin1") };
  } finally {
    connection.destroy();
  }
}
