/**
 * permessage-deflate (RFC 7692) for one direction of a WebSocket: turns a
 * compressed message back into the payload the Engine.IO layer reads.
 *
 * The sender strips the `00 00 ff ff` that ends each compressed message and,
 * unless `*_no_context_takeover` was agreed, keeps its compression window from
 * one message to the next, so a message may refer back into earlier ones.
 * Decoding stays synchronous and pure by replaying the direction's compressed
 * history (each message with its tail put back) through one raw inflate and
 * keeping the new output; the history is bounded, and past the bound, or after
 * a message that was not captured whole, later messages say why they cannot be
 * inflated instead of showing wrong bytes.
 */
import { constants, inflateRawSync } from "node:zlib";
import { concatBytes } from "./bytes.js";
import { DECODE_LIMIT } from "./limits.js";
import type { WsMessage } from "./websocket.js";

/** The bytes RFC 7692 removes from the end of every compressed message. */
const TAIL = Uint8Array.of(0x00, 0x00, 0xff, 0xff);

/** Compressed bytes a direction may replay before later messages are left compressed (replays are quadratic). */
export const HISTORY_LIMIT = 512 * 1024;

/** What was agreed for one direction. */
export interface DeflateParams {
  /** The sender resets its window after each message. */
  readonly noContextTakeover: boolean;
}

/**
 * The permessage-deflate parameters of direction `dir` ("in": client to server)
 * from the server's `Sec-WebSocket-Extensions` answer, or undefined when it did
 * not accept permessage-deflate.
 */
export function deflateParams(extensions: string, dir: "in" | "out"): DeflateParams | undefined {
  const accepted = extensions.split(",").map((e) => e.trim()).find((e) => /^permessage-deflate(?:\s*;|$)/i.test(e));
  if (accepted === undefined) return undefined;
  const names = accepted.split(";").slice(1).map((p) => p.split("=")[0].trim().toLowerCase());
  return { noContextTakeover: names.includes(dir === "in" ? "client_no_context_takeover" : "server_no_context_takeover") };
}

function inflate(bytes: Uint8Array, limit: number): Uint8Array | string {
  try {
    // Sync flush: the stream has no final block, it stops at the last message's tail.
    return inflateRawSync(bytes, { finishFlush: constants.Z_SYNC_FLUSH, maxOutputLength: limit });
  } catch (error) {
    return `not inflated: ${error instanceof Error ? error.message : String(error)}`;
  }
}

/** Inflates the compressed messages of one direction, in order. */
export class WsInflater {
  private readonly history: Uint8Array[] = [];
  private historyBytes = 0;
  /** Output of the history so far: a replay's new bytes start here. */
  private produced = 0;
  /** Why later messages cannot be inflated any more. */
  private broken?: string;

  constructor(private readonly params: DeflateParams) {}

  /** The message's plain payload, or why it is not available. Never throws. */
  inflate(message: WsMessage): Uint8Array | string {
    if (this.broken) return this.broken;
    if (!message.complete) {
      const reason = `not inflated: ${message.size - message.data.length} of ${message.size} compressed bytes not captured`;
      if (!this.params.noContextTakeover) this.broken = "not inflated: an earlier compressed message was not captured whole, and later ones refer back into it";
      return reason;
    }
    const input = concatBytes([message.data, TAIL]);
    if (this.params.noContextTakeover) return inflate(input, DECODE_LIMIT);
    if (this.historyBytes + input.length > HISTORY_LIMIT) {
      this.broken = `not inflated: more than ${HISTORY_LIMIT} compressed bytes in this direction (each message is inflated with all the earlier ones)`;
      return this.broken;
    }
    this.history.push(input);
    this.historyBytes += input.length;
    const all = inflate(concatBytes(this.history), this.produced + DECODE_LIMIT);
    if (typeof all === "string") {
      this.broken = all;
      return all;
    }
    const plain = all.subarray(this.produced);
    this.produced = all.length;
    return plain;
  }
}
