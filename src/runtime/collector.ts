/**
 * Collects what the traced process streams (function tables, call records,
 * captured bytes, connection events) into bounded storage, and answers the
 * questions steps ask of it: the records and chunks of a time range.
 *
 * Memory is bounded whatever the traffic: repeated turns are folded as they
 * arrive (`turn-store.ts`), and past the limits records and bytes are dropped
 * and counted.
 */
import { Buffer } from "node:buffer";
import { batchEnd, type RecordBatch } from "../instrument/recorder-columns.js";
import { droppedEntrySeqs } from "../instrument/turn-entries.js";
import { ChunkQuota } from "../instrument/chunk-quota.js";
import type { TapBatch } from "../instrument/socket-tap.js";
import type { DebugBatch } from "../instrument/debug-tap.js";
import { chunkAt, chunkCount } from "../instrument/chunk-batch.js";
import type { Chunk, Connection, Dropped, FunctionInfo, LogLine } from "../trace/model.js";
import type { RecordView } from "../trace/call-tree.js";
import type { StepCalls } from "../trace/turns.js";
import { TurnStore } from "./turn-store.js";

/** Limits of the collector. */
export interface CollectorLimits {
  /** Records kept whole (new turns, and the first turn of each shape in each step). */
  readonly records: number;
  /** Repeated turns kept folded (a few numbers each). */
  readonly turns: number;
  /** Captured bytes kept in all. */
  readonly bytes: number;
  /** Log lines kept. */
  readonly logs: number;
  /** Chunks kept: decoding costs per chunk, so small frames must not pile up in millions. */
  readonly chunks: number;
}

/**
 * Defaults sized so that a long flood, once assembled into call trees and decoded frames, stays
 * within the CLI's memory budget (512 MB). Records kept whole cost about 0.6 KB each once
 * assembled and rendered (a 15 s flood that kept 705,662 unfolded records peaked at 479 MB); a
 * folded turn costs five numbers here and seven in the trace, in columns that spill to a
 * temporary file past a fixed size (`spill-columns.ts`): memory stays flat however many turns
 * fold, and the limit is one of disk (50,000,000 turns: 2 GB here, 2.8 GB assembled). With turns folded
 * as they arrive, a 15 s flood (4.5 million records produced) reached the CLI as 29,776 whole
 * records and 21,149 folded turns, and dropped none here: the traced process's own shedding was
 * what it lost.
 */
export const DEFAULT_LIMITS: CollectorLimits = { records: 500_000, turns: 50_000_000, bytes: 16 * 1024 * 1024, logs: 5000, chunks: 12_000 };

/** A captured chunk as stored (raw bytes, not yet base64). */
export interface StoredChunk {
  readonly seq: number;
  readonly conn: number;
  readonly dir: "in" | "out";
  readonly time: number;
  readonly bytes: Uint8Array;
  readonly size: number;
  readonly call?: number;
  /** Inbound: the seq after the calls its bytes started (`Chunk.callEnd`). */
  readonly callEnd?: number;
}

/** Everything the traced process has sent so far. */
export class Collector {
  readonly functions: FunctionInfo[] = [];
  private readonly functionIndex = new Map<number, FunctionInfo>();
  private readonly store: TurnStore;
  /** The run's first chunks are kept; the traced process's tap mirrors the same quota (`TapLimits.keep`). */
  private readonly quota: ChunkQuota;
  readonly chunks: StoredChunk[] = [];
  readonly connections = new Map<number, { -readonly [K in keyof Connection]: Connection[K] }>();
  readonly logs: LogLine[] = [];
  readonly dropped: { -readonly [K in keyof Dropped]: Dropped[K] } = { calls: 0, chunks: 0, bytes: 0, logs: 0 };
  address?: string;
  private offset = 0;
  /** Chunks already converted to the model's base64 form; chunks are append-only, so this only grows. */
  private readonly models: Chunk[] = [];

  constructor(
    /** Epoch ms the trace started at. */
    readonly startedAt: number,
    private readonly limits: CollectorLimits = DEFAULT_LIMITS,
  ) {
    this.store = new TurnStore(limits);
    this.quota = new ChunkQuota(limits.chunks, limits.bytes);
  }

  /** Sets the traced process's clock origin (epoch ms) so its times can be placed on the trace's. */
  setOrigin(timeOrigin: number): void {
    this.offset = timeOrigin - this.startedAt;
  }

  /** Converts a time of the traced process to ms since the trace started. */
  time(childTime: number): number {
    return childTime + this.offset;
  }

  /** Looks up a function by id. */
  fn(id: number): FunctionInfo | undefined {
    return this.functionIndex.get(id);
  }

  addFunctions(list: readonly FunctionInfo[]): void {
    for (const info of list) {
      if (this.functionIndex.has(info.id)) continue;
      this.functionIndex.set(info.id, info);
      this.functions.push(info);
    }
  }

  /** Seq after the last record batch taken; a batch from before it is a repeat (sent, then spilled). */
  private recordsEnd = 0;
  /** Seq of the last chunk taken, for the same reason. */
  private lastChunk = -1;

  addRecords(batch: RecordBatch): void {
    if (batch.firstSeq < this.recordsEnd) return;
    this.recordsEnd = batchEnd(batch);
    for (let i = 0; i < batch.droppedRanges.length; i += 2) this.dropped.calls += batch.droppedRanges[i + 1] - batch.droppedRanges[i];
    // Turns the traced process recorded untimed and could not fold: counted there, never filled in.
    this.dropped.calls += droppedEntrySeqs(batch.turns);
    const before = this.store.dropped;
    this.store.add(batch, this.offset);
    this.dropped.calls += this.store.dropped - before;
  }

  /**
   * Records kept (whole or in folded turns), whole ones, turns kept folded, records this side dropped
   * past its limits, and turns the traced process sent folded that are kept as records played back
   * from their shape's sample (their per-call times the sample's), and turns kept whole whose nested
   * times were spread, not read (`TurnStore.untimedTurns`).
   */
  kept(): { records: number; whole: number; turns: number; dropped: number; played: number; untimed: number } {
    return { records: this.store.kept, whole: this.store.wholeRecords, turns: this.store.foldedTurns, dropped: this.store.dropped, played: this.store.playedTurns, untimed: this.store.untimedTurns };
  }

  /**
   * Called once, when no chunk can be kept any more (the chunk limit is reached, or the byte limit
   * leaves no room for one byte): the traced process is told, so it stops sending bytes that would
   * only be counted here (`SocketTap.close`). Everything after is dropped and counted either way.
   */
  onChunksClosed?: () => void;
  private chunksClosed = false;

  /** How many chunks, and bytes of them, this collector keeps at most (its first ones). */
  get chunkLimits(): { readonly chunks: number; readonly bytes: number } {
    return { chunks: this.limits.chunks, bytes: this.limits.bytes };
  }

  /** Why no more chunks are kept, once none can be (a wait on the wire then knows what it waits for will not show); else undefined. */
  get chunksFull(): string | undefined {
    if (!this.chunksClosed) return undefined;
    return `the trace keeps no more frames: its limit of ${this.limits.chunks.toLocaleString("en-US")} chunks or ${this.limits.bytes / 1024 / 1024} MB was reached, and later ones are counted, not kept`;
  }

  addTap(batch: TapBatch): void {
    this.dropped.chunks += batch.droppedChunks;
    this.dropped.bytes += batch.droppedBytes;
    for (const event of batch.events) {
      if (event.type === "open") {
        this.connections.set(event.conn, { id: event.conn, remote: event.remote, local: event.local, opened: this.time(event.time), ...(event.outgoing ? { outgoing: true } : {}) });
      } else if (event.type === "close") {
        const connection = this.connections.get(event.conn);
        if (connection) connection.closed = this.time(event.time);
      } else {
        this.address ??= event.address;
      }
    }
    const columns = batch.chunks;
    for (let i = 0; i < chunkCount(columns); i++) {
      const seq = columns.firstSeq + i;
      if (seq <= this.lastChunk) continue;
      this.lastChunk = seq;
      const kept = columns.ends[i] - (i ? columns.ends[i - 1] : 0);
      if (!this.quota.take(kept)) {
        this.dropped.chunks++;
        this.dropped.bytes += columns.size[i];
        continue;
      }
      const chunk = chunkAt(columns, i);
      this.chunks.push({
        seq: chunk.seq,
        conn: chunk.conn,
        dir: chunk.dir,
        time: this.time(chunk.time),
        bytes: chunk.bytes,
        size: chunk.size,
        call: chunk.call >= 0 ? chunk.call : undefined,
        ...(chunk.callEnd >= 0 ? { callEnd: chunk.callEnd } : {}),
      });
    }
    if (!this.chunksClosed && this.quota.closed) {
      this.chunksClosed = true;
      this.onChunksClosed?.();
    }
  }

  addLog(source: LogLine["source"], text: string): void {
    if (this.logs.length >= this.limits.logs) {
      this.dropped.logs++;
      return;
    }
    this.logs.push({ time: performance.timeOrigin + performance.now() - this.startedAt, source, text });
  }

  /** Lines the `debug` package printed in the traced process, each with the call that printed it. */
  addDebug(batch: DebugBatch): void {
    this.dropped.logs += batch.dropped;
    batch.texts.forEach((text, i) => {
      if (this.logs.length >= this.limits.logs) {
        this.dropped.logs++;
        return;
      }
      const call = batch.calls[i];
      this.logs.push({ time: this.time(batch.times[i]), source: "debug", text, ...(call >= 0 ? { call } : {}) });
    });
  }

  /** Time (trace ms) of the record with `seq`, if it is kept. */
  timeOf(seq: number): number | undefined {
    return this.store.timeOf(seq);
  }

  /** Records with `from <= seq < to`, in order, copied into one contiguous view (a folded turn's played back). */
  records(from: number, to: number): RecordView {
    return this.store.records(from, to);
  }

  /** The call forest of the records with `from <= seq < to`, repeated turns folded, without playing them back. */
  forest(from: number, to: number): StepCalls {
    return this.store.forest(from, to);
  }

  /** Chunks captured with `from <= time < to`. */
  chunksBetween(from: number, to: number): StoredChunk[] {
    return this.chunks.filter((chunk) => chunk.time >= from && chunk.time < to);
  }

  /** The captured chunks in the model's JSON-safe form (each converted once: live views ask often). */
  chunkModels(): Chunk[] {
    for (let i = this.models.length; i < this.chunks.length; i++) {
      const chunk = this.chunks[i];
      this.models.push({
        seq: chunk.seq,
        conn: chunk.conn,
        dir: chunk.dir,
        time: chunk.time,
        data: Buffer.from(chunk.bytes.buffer, chunk.bytes.byteOffset, chunk.bytes.byteLength).toString("base64"),
        size: chunk.size,
        truncated: chunk.bytes.length < chunk.size || undefined,
        call: chunk.call,
        ...(chunk.callEnd !== undefined ? { callEnd: chunk.callEnd } : {}),
      });
    }
    return this.models.slice();
  }
}
