/**
 * Decoding a whole trace's chunks at once, for replay, export and tests.
 */
import type { Chunk } from "../trace/model.js";
import { createConnectionDecoder, type ConnectionDecoder } from "./connection-decoder.js";
import { createSessionStreams } from "./session-streams.js";
import type { WireMessage } from "./types.js";

/**
 * Decodes captured chunks of any number of connections into wire messages, in
 * wire order (by the sequence number of each message's first chunk). Messages
 * still in progress when the chunks run out are flushed as if the connections
 * had closed. Never throws on bad bytes.
 *
 * @example
 * decodeChunks(trace.chunks).map((m) => m.raw); // ["GET /socket.io/?EIO=4… HTTP/1.1", "HTTP/1.1 200 OK", …]
 */
export function decodeChunks(chunks: readonly Chunk[]): WireMessage[] {
  const decoders = new Map<number, ConnectionDecoder>();
  const sessions = createSessionStreams();
  const out: WireMessage[] = [];
  for (const chunk of [...chunks].sort((a, b) => a.seq - b.seq)) {
    let decoder = decoders.get(chunk.conn);
    if (!decoder) {
      decoder = createConnectionDecoder(chunk.conn, sessions);
      decoders.set(chunk.conn, decoder);
    }
    const bytes = Buffer.from(chunk.data, "base64");
    out.push(...decoder.push({
      seq: chunk.seq,
      dir: chunk.dir,
      time: chunk.time,
      bytes: new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length),
      size: chunk.size,
      ...(chunk.call !== undefined ? { call: chunk.call } : {}),
      ...(chunk.callEnd !== undefined ? { callEnd: chunk.callEnd } : {}),
    }));
  }
  for (const decoder of decoders.values()) out.push(...decoder.end());
  // Array.prototype.sort is stable: messages of one chunk keep their order.
  return out.sort((a, b) => a.firstChunk - b.firstChunk);
}

const decodedOnce = new WeakMap<readonly Chunk[], readonly WireMessage[]>();

/**
 * The wire messages of a trace's chunks, decoded once per chunk list: the
 * report, the stepper, the claims, the docs and `--stable` all read one
 * decode of the same trace, not one each. The list is keyed by identity, as
 * traces are never changed in place (a changed trace is a new object with
 * its own chunk list); the messages are shared, so no reader changes them.
 */
export function messagesOf(chunks: readonly Chunk[]): readonly WireMessage[] {
  let messages = decodedOnce.get(chunks);
  if (!messages) decodedOnce.set(chunks, (messages = decodeChunks(chunks)));
  return messages;
}
