/**
 * Taps every connection accepted by a server of the traced process (and, when
 * asked, every one it opens) and captures the bytes in both directions, in the
 * order the process saw them.
 *
 * Node's HTTP server normally lets llhttp read the socket natively, where no
 * JavaScript sees the bytes; marking the handle as already consumed makes it
 * read through the stream instead — the same path it takes after an upgrade —
 * which changes where bytes are parsed, not what happens to them. Tapped
 * sockets are kept in a WeakMap: no property is added to them.
 */
import net from "node:net";
import { Buffer } from "node:buffer";
import type { Recorder } from "./recorder.js";
import { ChunkPacker, type ChunkColumns } from "./chunk-batch.js";
import { ChunkQuota } from "./chunk-quota.js";

/** A connection event, before it is sent to the CLI. */
export type TapEvent =
  | { readonly type: "open"; readonly conn: number; readonly time: number; readonly remote: string; readonly local: string; readonly outgoing?: boolean }
  | { readonly type: "close"; readonly conn: number; readonly time: number }
  | { readonly type: "listening"; readonly time: number; readonly address: string; readonly port: number; readonly host: string };

/** Limits that keep the tap's memory bounded whatever the traffic. */
export interface TapLimits {
  /** Bytes of one chunk kept for display; the real size is always counted. */
  readonly chunkBytes: number;
  /** Bytes waiting for the next drain; past it chunks are dropped and counted. */
  readonly pendingBytes: number;
  /**
   * The CLI's own limits (`CollectorLimits.chunks` and `.bytes`): it keeps a run's first chunks only.
   * The tap mirrors its count and closes itself when the CLI would, without waiting to be told
   * (`close`): a server whose event loop is stuck in an overload hears nothing from the CLI, and
   * once held 11 MB of chunks in one batch that the CLI could only count. Exact for a process that
   * is the CLI's only source of chunks; with several, the CLI's own word closes the others.
   */
  readonly keep?: { readonly chunks: number; readonly bytes: number };
}

/**
 * What the tap collected since the last drain. The kept chunks come first in
 * seq order; the `droppedChunks` after them took the next seqs.
 */
export interface TapBatch {
  readonly chunks: ChunkColumns;
  readonly events: TapEvent[];
  readonly droppedChunks: number;
  readonly droppedBytes: number;
}

function toBytes(data: unknown, encoding: string | undefined): Uint8Array | undefined {
  if (data instanceof Uint8Array) return data;
  if (typeof data === "string") return Buffer.from(data, (encoding || "utf8") as BufferEncoding);
  return undefined;
}

/** A channel that is no socket (a Node IPC channel), captured as a connection of its own. */
export interface TapChannel {
  /** Captures bytes with the call that moved them; returns the chunk's index in the batch (-1: not kept). */
  capture(dir: "in" | "out", bytes: Uint8Array, call: number): number;
  /** Links chunk `index` to the calls its receipt started: seqs `call` up to, not including, `end`. */
  setCalls(index: number, call: number, end: number): void;
}

/** The tap's drain; and a channel that is no socket opened as a connection of its own. */
export interface SocketTap {
  (): TapBatch | undefined;
  /** Opens a connection named `remote`/`local`. */
  channel(remote: string, local: string): TapChannel;
  /**
   * The CLI keeps no more chunks: from now on each one is only counted (a dropped chunk and its
   * real size), as the CLI would count it. At saturation the bytes it would have dropped were most
   * of what the IPC channel carried, and the channel's pace is what made a long run shed calls.
   */
  close(): void;
}

/**
 * Installs the tap; returns its drain function. While `tapOutgoing()` is true, connections the
 * process opens itself are tapped too (a scenario's Redis clients, an app's once it loaded the
 * Redis adapter): asked at each connect, so an app's own start-up decides.
 */
export function tapServerSockets(recorder: Recorder, limits: TapLimits, tapOutgoing: () => boolean = () => false): SocketTap {
  const connections = new WeakMap<net.Socket, number>();
  let nextConn = 1;
  const packer = new ChunkPacker();
  let events: TapEvent[] = [];
  let droppedChunks = 0;
  let droppedBytes = 0;
  let closed = false;
  // The CLI's count of the chunks it keeps, as the tap can know it (see TapLimits.keep).
  const quota = limits.keep ? new ChunkQuota(limits.keep.chunks, limits.keep.bytes) : undefined;

  /** Returns the chunk's index in the current batch, or -1 if it was not kept. */
  const capture = (socket: net.Socket, dir: "in" | "out", bytes: Uint8Array, call: number): number => captureOn(connections.get(socket), dir, bytes, call);
  const captureOn = (conn: number | undefined, dir: "in" | "out", bytes: Uint8Array, call: number): number => {
    if (conn === undefined || bytes.length === 0) return -1;
    // Once over the limit, drop until the next drain: dropped chunks stay a tail of the batch.
    if (closed || droppedChunks > 0 || packer.pendingBytes + Math.min(bytes.length, limits.chunkBytes) > limits.pendingBytes) {
      droppedChunks++;
      droppedBytes += bytes.length;
      return -1;
    }
    const index = packer.add(conn, dir, performance.now(), bytes, limits.chunkBytes, call);
    if (quota) {
      // Sent even when the CLI will drop it (too big for the bytes left): it counts it there, and may keep a smaller one.
      quota.take(Math.min(bytes.length, limits.chunkBytes));
      if (quota.closed) closed = true;
    }
    return index;
  };

  const originalServerEmit = net.Server.prototype.emit;
  net.Server.prototype.emit = function emit(this: net.Server, event: string | symbol, socket?: net.Socket) {
    if (event === "connection" && socket) {
      const conn = nextConn++;
      connections.set(socket, conn);
      const handle = (socket as unknown as { _handle?: { _consumed?: boolean } })._handle;
      if (handle && !handle._consumed) handle._consumed = true;
      events.push({
        type: "open",
        conn,
        time: performance.now(),
        remote: `${socket.remoteAddress}:${socket.remotePort}`,
        local: `${socket.localAddress}:${socket.localPort}`,
      });
    } else if (event === "listening") {
      const address = this.address();
      if (address && typeof address === "object") {
        const host = address.family === "IPv6" ? `[${address.address}]` : address.address;
        events.push({ type: "listening", time: performance.now(), address: `http://${host}:${address.port}`, port: address.port, host: address.address });
      }
    }
    return Reflect.apply(originalServerEmit, this, arguments) as boolean;
  } as typeof net.Server.prototype.emit;

  const originalSocketEmit = net.Socket.prototype.emit;
  net.Socket.prototype.emit = function emit(this: net.Socket, event: string | symbol) {
    // A connection the process opened itself (its Redis clients): tapped from its "connect" on,
    // before the listeners run, so the writes Node queued while connecting are seen as they go out.
    switch (event) {
      case "connect":
        if (!connections.has(this) && tapOutgoing()) {
          const conn = nextConn++;
          connections.set(this, conn);
          events.push({ type: "open", conn, time: performance.now(), remote: `${this.remoteAddress}:${this.remotePort}`, local: `${this.localAddress}:${this.localPort}`, outgoing: true });
        }
        break;
      case "close": {
        const conn = connections.get(this);
        if (conn !== undefined) events.push({ type: "close", conn, time: performance.now() });
        break;
      }
    }
    return Reflect.apply(originalSocketEmit, this, arguments) as boolean;
  } as typeof net.Socket.prototype.emit;

  const readablePush = Object.getPrototypeOf(net.Socket.prototype).push as (chunk: unknown, encoding?: string) => boolean;
  (net.Socket.prototype as unknown as { push: typeof readablePush }).push = function push(this: net.Socket, chunk: unknown, encoding?: string) {
    if (chunk === null || !connections.has(this)) return readablePush.call(this, chunk, encoding);
    const bytes = toBytes(chunk, encoding);
    const before = recorder.nextSeq();
    const index = bytes ? capture(this, "in", bytes, -1) : -1;
    const result = readablePush.call(this, chunk, encoding);
    // Link the chunk to the calls it started synchronously: all of them, since one read can carry
    // several messages (a Redis reply and a pub/sub message), each run by a handler of its own.
    const after = recorder.nextSeq();
    if (index >= 0 && after > before) packer.setCalls(index, before, after);
    return result;
  };

  type WriteGeneric = (writev: boolean, data: unknown, encoding: string, cb: unknown) => unknown;
  const proto = net.Socket.prototype as unknown as { _writeGeneric: WriteGeneric };
  const originalWriteGeneric = proto._writeGeneric;
  proto._writeGeneric = function _writeGeneric(this: net.Socket, writev: boolean, data: unknown, encoding: string, cb: unknown) {
    if (connections.has(this)) {
      const call = recorder.current();
      if (writev) {
        for (const entry of data as ({ chunk: unknown; encoding?: string } | Uint8Array)[]) {
          const bytes = entry instanceof Uint8Array ? entry : toBytes(entry.chunk, entry.encoding);
          if (bytes) capture(this, "out", bytes, call);
        }
      } else {
        const bytes = toBytes(data, encoding);
        if (bytes) capture(this, "out", bytes, call);
      }
    }
    return originalWriteGeneric.call(this, writev, data, encoding, cb);
  };

  const channel = (remote: string, local: string): TapChannel => {
    const conn = nextConn++;
    events.push({ type: "open", conn, time: performance.now(), remote, local, outgoing: true });
    return { capture: (dir, bytes, call) => captureOn(conn, dir, bytes, call), setCalls: (index, call, end) => packer.setCalls(index, call, end) };
  };
  const drain = (): TapBatch | undefined => {
    if (packer.length === 0 && events.length === 0 && droppedChunks === 0) return undefined;
    const batch: TapBatch = { chunks: packer.take(droppedChunks), events, droppedChunks, droppedBytes };
    events = [];
    droppedChunks = 0;
    droppedBytes = 0;
    return batch;
  };
  const close = (): void => {
    closed = true;
  };
  return Object.assign(drain, { channel, close });
}
