/**
 * The wire messages the claims of a run are checked against, decoded once.
 *
 * While the run goes on, a poll of the trace (the stepper redraws on every
 * change) reads the messages the runner already decoded as their chunks
 * arrived: each process's `DecodedMessages`, its ids moved into the trace's
 * (`k × PROCESS_ID_STRIDE`), each message moved once. A message still in
 * progress is not among them yet, and no claim of a step is decided on it
 * before the run ends. Once every step has run, the claims are decided for
 * good on the whole capture, messages in progress flushed as the report
 * shows them: that is decoded once per capture, not once per poll.
 */
import { messagesOf } from "../wire/decode-chunks.js";
import type { WireMessage } from "../wire/types.js";
import { PROCESS_ID_STRIDE, type Chunk } from "../trace/model.js";

/** A traced process's completed messages, as the runner holds them. */
export interface ProcessMessages {
  readonly id: number;
  readonly decoded: { completed(): readonly WireMessage[] };
}

/** The messages for the claims of one runner's traces. */
export class ClaimMessages {
  private readonly moved = new WeakMap<WireMessage, WireMessage>();
  private final?: { readonly chunks: number; readonly messages: readonly WireMessage[] };

  /** The messages for a trace whose chunks are `chunks`; `final` once every step has run. */
  of(processes: readonly ProcessMessages[], chunks: readonly Chunk[], final: boolean): readonly WireMessage[] {
    if (!final) return processes.length === 1 ? processes[0].decoded.completed() : processes.flatMap((p) => this.live(p));
    if (this.final?.chunks !== chunks.length) this.final = { chunks: chunks.length, messages: messagesOf(chunks) };
    return this.final.messages;
  }

  /** Process `p`'s completed messages with the trace's ids (its own for process 0). */
  private live(p: ProcessMessages): readonly WireMessage[] {
    const messages = p.decoded.completed();
    if (p.id === 0) return messages;
    const offset = p.id * PROCESS_ID_STRIDE;
    return messages.map((m) => {
      let moved = this.moved.get(m);
      if (!moved) {
        moved = {
          ...m,
          conn: m.conn + offset,
          firstChunk: m.firstChunk + offset,
          lastChunk: m.lastChunk + offset,
          ...(m.call !== undefined ? { call: m.call + offset } : {}),
          ...(m.callEnd !== undefined ? { callEnd: m.callEnd + offset } : {}),
        };
        this.moved.set(m, moved);
      }
      return moved;
    });
  }
}
