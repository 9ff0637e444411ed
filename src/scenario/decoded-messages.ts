/**
 * The wire messages of a run, decoded as the chunks arrive: each chunk is fed
 * once to its connection's decoder, so a live view, a wait on the wire and the
 * trace's narration all read the same messages and nothing decodes the whole
 * capture again per poll. Held by the runner; assembly only reads it.
 */
import { createConnectionDecoder, createSessionStreams, type ConnectionDecoder } from "../wire/index.js";
import type { WireMessage } from "../wire/types.js";
import type { Collector } from "../runtime/collector.js";

/** The completed messages of one collector's chunks, kept up to date on demand. */
export class DecodedMessages {
  private readonly decoders = new Map<number, ConnectionDecoder>();
  /** One process's polling sessions span its connections. */
  private readonly sessions = createSessionStreams();
  private readonly done: WireMessage[] = [];
  /** Chunks of the collector already decoded. */
  private taken = 0;

  constructor(private readonly collector: Collector) {}

  /** Why no later message can complete here, once the collector keeps no more chunks; else undefined. */
  get full(): string | undefined {
    return this.collector.chunksFull;
  }

  /**
   * The messages completed so far, in wire order (by each message's first
   * chunk); a message still in progress joins once its last chunk arrives.
   */
  completed(): readonly WireMessage[] {
    const chunks = this.collector.chunks;
    if (this.taken === chunks.length) return this.done;
    const before = this.done.length;
    for (; this.taken < chunks.length; this.taken++) {
      const chunk = chunks[this.taken];
      let decoder = this.decoders.get(chunk.conn);
      if (!decoder) this.decoders.set(chunk.conn, (decoder = createConnectionDecoder(chunk.conn, this.sessions)));
      this.done.push(...decoder.push({ seq: chunk.seq, dir: chunk.dir, time: chunk.time, bytes: chunk.bytes, size: chunk.size, ...(chunk.call !== undefined ? { call: chunk.call } : {}), ...(chunk.callEnd !== undefined ? { callEnd: chunk.callEnd } : {}) }));
    }
    // Connections complete messages in their own order: only the new tail can be out of place.
    if (this.done.length > before) this.done.sort((a, b) => a.firstChunk - b.firstChunk);
    return this.done;
  }
}
