/**
 * A recording TCP proxy in front of the traced Python server: the client
 * connects here, every byte is forwarded unchanged to the server and recorded
 * per connection, both directions, in arrival order with timestamps — the same
 * chunks the Node side's socket tap captures, so the same decoders read them.
 *
 * It binds 127.0.0.1 only. Chunks are handed over in `TapBatch` form (as the
 * Node tap drains them), so the trace's `Collector` bounds and counts them.
 */
import net from "node:net";
import type { TapBatch, TapEvent } from "../../instrument/socket-tap.js";
import { ChunkPacker, noChunks, type ChunkColumns } from "../../instrument/chunk-batch.js";

/** Options of {@link RecordingProxy.start}. */
export interface ProxyOptions {
  /** Where the traced server listens. */
  readonly target: { readonly host: string; readonly port: number };
  /** Bytes of one chunk kept; the real size is always counted. */
  readonly chunkBytes?: number;
  /** Receives what was captured, as it arrives. Times are `performance.now()` of this process. */
  readonly onCapture: (batch: TapBatch) => void;
}

const DEFAULT_CHUNK_BYTES = 64 * 1024;

/** A running proxy. */
export class RecordingProxy {
  private nextConn = 1;
  private readonly packer = new ChunkPacker();
  private readonly sockets = new Set<net.Socket>();

  private constructor(
    private readonly server: net.Server,
    private readonly options: ProxyOptions,
  ) {
    server.on("connection", (client) => this.accept(client));
  }

  /** Starts listening on 127.0.0.1 (port 0: any free port). */
  static start(options: ProxyOptions, port = 0): Promise<RecordingProxy> {
    return new Promise((resolve, reject) => {
      const server = net.createServer({ noDelay: true });
      const proxy = new RecordingProxy(server, options);
      server.once("error", reject);
      server.listen(port, "127.0.0.1", () => {
        server.off("error", reject);
        proxy.url = `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`;
        resolve(proxy);
      });
    });
  }

  /** Address clients should connect to, e.g. `http://127.0.0.1:41234` (kept after close, for the trace). */
  url = "";

  private emit(chunks: ChunkColumns, events: TapEvent[]): void {
    this.options.onCapture({ chunks, events, droppedChunks: 0, droppedBytes: 0 });
  }

  private capture(conn: number, dir: "in" | "out", data: Buffer): void {
    this.packer.add(conn, dir, performance.now(), data, this.options.chunkBytes ?? DEFAULT_CHUNK_BYTES, -1);
    this.emit(this.packer.take(), []);
  }

  private accept(client: net.Socket): void {
    const conn = this.nextConn++;
    const upstream = net.connect({ host: this.options.target.host, port: this.options.target.port, noDelay: true });
    this.sockets.add(client).add(upstream);
    this.emit(noChunks(this.packer.nextSeq), [{ type: "open", conn, time: performance.now(), remote: `${client.remoteAddress}:${client.remotePort}`, local: `${this.options.target.host}:${this.options.target.port}` }]);
    let closed = false;
    const close = (): void => {
      if (closed) return;
      closed = true;
      client.destroy();
      upstream.destroy();
      this.sockets.delete(client);
      this.sockets.delete(upstream);
      this.emit(noChunks(this.packer.nextSeq), [{ type: "close", conn, time: performance.now() }]);
    };
    // Data is recorded in the order this process sees it; the write keeps it flowing.
    client.on("data", (data: Buffer) => {
      this.capture(conn, "in", data);
      upstream.write(data);
    });
    upstream.on("data", (data: Buffer) => {
      this.capture(conn, "out", data);
      client.write(data);
    });
    // A half-close is forwarded as one, so a server that answers after the client's FIN still can.
    client.on("end", () => upstream.end());
    upstream.on("end", () => client.end());
    for (const socket of [client, upstream]) {
      socket.on("error", close);
      socket.on("close", close);
    }
  }

  /** Stops accepting and closes every proxied connection. */
  close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
