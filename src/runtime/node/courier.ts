/**
 * The traced process's side of the IPC channel: numbers every message, bounds
 * the backlog when the CLI falls behind (dropping and counting bulk batches),
 * and remembers what may not have reached the CLI, so that when the process
 * dies — even by an uncaught exception with writes still queued — the spill
 * file holds everything the CLI may be missing.
 *
 * Numbering makes the spill safe to replay: the CLI ignores a message whose
 * number it has already seen, so a batch that was in flight *and* arrived is
 * not counted twice.
 */
import { batchEnd, type RecordBatch } from "../../instrument/recorder-columns.js";
import { ENTRY_BYTES, entrySeqs } from "../../instrument/turn-entries.js";
import type { TapBatch, TapEvent } from "../../instrument/socket-tap.js";
import { chunkCount, keptBytes, noChunks, realBytes } from "../../instrument/chunk-batch.js";
import { CHANNEL_TAG, type FromTraced, type Numbered } from "./protocol.js";
import type { OverflowFile } from "./overflow-file.js";

/** Messages written to the channel but not yet taken by the CLI, before bulk batches are dropped. */
export const MAX_UNSENT = 64;

/**
 * Payload bytes written but not yet taken, before bulk batches are dropped: a
 * count alone would let 64 flood-sized batches (several MB each) pile up. The
 * recorder memory budget is 64 MB; this backlog is part of it.
 */
export const MAX_UNSENT_BYTES = 16 * 1024 * 1024;

/**
 * Bytes of bulk batches kept for the spill while in flight; past it a counted
 * stand-in is kept instead. Small: a flood must not hold its backlog twice
 * (once serialized in the channel's queue, once here).
 */
export const RETAIN_BYTES = 4 * 1024 * 1024;

/** Bytes per record in a batch's columns (op, id, time, link, link kind). */
const RECORD_BYTES = 1 + 4 + 8 + 8 + 1;

/** Where messages go: `process` in the traced process, a fake in unit tests. */
export interface Channel {
  readonly connected: boolean;
  send?(message: unknown, handle: undefined, options: object, done: (error: Error | null) => void): boolean;
}

/** Tap batches dropped because the CLI fell behind: their seqs, real bytes, and connection events (always kept). */
interface LostChunks {
  from: number;
  to: number;
  bytes: number;
  readonly events: TapEvent[];
}

/** Sends numbered messages, bounded; keeps what a dying process must spill. */
export class Courier {
  /**
   * Seqs of the batches dropped since the last report. Dropped batches are
   * consecutive (each covers its seqs without holes), so one range each.
   */
  private lostRecords: [number, number] | undefined;
  private lostChunks: LostChunks | undefined;
  private next = 1;
  private readonly inFlight = new Map<number, { readonly spill: Numbered; readonly bytes: number; readonly retained: number }>();
  /** Payload bytes in flight. */
  private pending = 0;
  /** Bytes pinned by in-flight batches kept whole for the spill. */
  private retained = 0;
  private readonly outbox: Numbered[] = [];
  private spilling = false;
  private backlogged = false;

  constructor(
    private readonly channel: Channel,
    /**
     * Told when the backlog fills and nothing can take its overflow (true: shed new turns), and when
     * it has drained enough to record again (false).
     */
    private readonly onBacklog: (full: boolean) => void,
    /** Where bulk batches go while the backlog is full, instead of being dropped; none: dropped and counted. */
    private readonly overflow?: Pick<OverflowFile, "open" | "write">,
  ) {}

  /** Messages written but not yet taken by the CLI. */
  get unsent(): number {
    return this.inFlight.size;
  }

  /** True while the backlog is full: bulk batches sent now would be dropped (never while spilling: they wait for the spill file). */
  get full(): boolean {
    return !this.spilling && (this.inFlight.size >= MAX_UNSENT || this.pending >= MAX_UNSENT_BYTES);
  }

  /**
   * From now on nothing is written to the channel: everything waits for the
   * spill file. For a process about to die, where a write could be cut off.
   */
  spill(): void {
    this.spilling = true;
  }

  /**
   * Sends `message`, or keeps it for the spill; a bulk batch while the backlog is full goes to the
   * overflow file (a notice of where is sent), or when that cannot take it is dropped and counted.
   */
  send(message: FromTraced, done?: () => void): void {
    if (this.spilling || !this.channel.connected || !this.channel.send) {
      this.outbox.push({ ...message, n: this.next++ });
      return;
    }
    if (this.full && (message.t === "records" || message.t === "tap")) {
      const numbered: Numbered = { ...message, n: this.next };
      const place = this.overflow?.write(numbered);
      if (place) {
        // The notice takes the batch's number: the CLI reads the batch where its turn in the order is.
        this.next++;
        this.write({ t: "overflow", ...place, fallback: standIn(numbered) as Extract<FromTraced, { t: "records" | "tap" }>, n: numbered.n }, done);
        return;
      }
      this.count(message);
      this.shed();
      return;
    }
    this.write({ ...message, n: this.next++ }, done);
  }

  /** Whether the recorder sheds now: the backlog is full, and no overflow takes what it cannot carry. */
  private shed(): void {
    if (this.backlogged || !this.full || this.overflow?.open) return;
    this.backlogged = true;
    this.onBacklog(true);
  }

  /** Writes to the channel (connected, checked by {@link send}), keeping what the spill would need. */
  private write(numbered: Numbered, done?: () => void): void {
    const { n } = numbered;
    const bytes = bulkBytes(numbered);
    const keep = bytes === 0 || this.retained + bytes <= RETAIN_BYTES;
    this.inFlight.set(n, { spill: keep ? numbered : standIn(numbered), bytes, retained: keep ? bytes : 0 });
    this.pending += bytes;
    if (keep) this.retained += bytes;
    this.shed();
    // The callback must not close over the message: a batch not kept for the spill is freed once serialized.
    this.channel.send?.({ [CHANNEL_TAG]: 1, ...numbered }, undefined, {}, () => this.taken(n, done));
  }

  private taken(n: number, done: (() => void) | undefined): void {
    const entry = this.inFlight.get(n);
    this.inFlight.delete(n);
    this.pending -= entry?.bytes ?? 0;
    this.retained -= entry?.retained ?? 0;
    if (this.backlogged && this.inFlight.size <= MAX_UNSENT / 2 && this.pending <= MAX_UNSENT_BYTES / 2) {
      this.backlogged = false;
      this.onBacklog(false);
    }
    done?.();
  }

  /**
   * A batch of nothing but the dropped record seqs since the last call, to be
   * sent before the next batch so the CLI sees every seq once and in order.
   */
  takeLostRecords(): RecordBatch | undefined {
    const range = this.lostRecords;
    this.lostRecords = undefined;
    return range && emptyBatch(range[0], [range[0], range[1]]);
  }

  /**
   * A tap batch of nothing but the dropped chunks since the last call (and the
   * connection events that travelled with them), to be sent before the next one.
   */
  takeLostChunks(): TapBatch | undefined {
    const lost = this.lostChunks;
    this.lostChunks = undefined;
    return lost && { chunks: noChunks(lost.from), events: lost.events, droppedChunks: lost.to - lost.from, droppedBytes: lost.bytes };
  }

  /** Everything the CLI may not have: in-flight messages (or their counted stand-ins), then the outbox. */
  leftovers(): Numbered[] {
    return [...[...this.inFlight.values()].map((entry) => entry.spill), ...this.outbox];
  }

  private count(message: Extract<FromTraced, { t: "records" | "tap" }>): void {
    if (message.t === "records") {
      // The batch's own dropped ranges are lost with it.
      const { firstSeq } = message.batch;
      const end = batchEnd(message.batch);
      this.lostRecords = this.lostRecords ? [Math.min(this.lostRecords[0], firstSeq), Math.max(this.lostRecords[1], end)] : [firstSeq, end];
    } else {
      const { batch } = message;
      const lost = (this.lostChunks ??= { from: batch.chunks.firstSeq, to: batch.chunks.firstSeq, bytes: 0, events: [] });
      lost.to = tapEnd(batch);
      lost.bytes += realBytes(batch.chunks) + batch.droppedBytes;
      lost.events.push(...batch.events);
    }
  }
}

/** The chunk seq after a tap batch: past its kept chunks and its dropped tail. */
function tapEnd(batch: TapBatch): number {
  return batch.chunks.firstSeq + chunkCount(batch.chunks) + batch.droppedChunks;
}

/** A bulk batch's payload bytes; 0 for everything else, which is always kept: small, and needed to read the rest. */
function bulkBytes(message: FromTraced): number {
  if (message.t === "records") return message.batch.ops.length * RECORD_BYTES + (message.batch.turns?.seq.length ?? 0) * ENTRY_BYTES;
  if (message.t === "tap") return keptBytes(message.batch.chunks);
  return 0;
}

/** The same batch with its payload replaced by a count of it, so a loss at death is counted, not silent. */
function standIn(message: Numbered): Numbered {
  if (message.t === "records") return { ...message, batch: droppedBatch(message.batch) };
  if (message.t === "tap") {
    const { batch } = message;
    return { ...message, batch: { chunks: noChunks(batch.chunks.firstSeq), events: batch.events, droppedChunks: tapEnd(batch) - batch.chunks.firstSeq, droppedBytes: batch.droppedBytes + realBytes(batch.chunks) } };
  }
  return message;
}

/** A batch of nothing but dropped ranges covering `batch` (its own records, its turn entries and its own drops). */
export function droppedBatch(batch: RecordBatch): RecordBatch {
  const pairs: [number, number][] = [];
  for (let i = 0; i < batch.droppedRanges.length; i += 2) pairs.push([batch.droppedRanges[i], batch.droppedRanges[i + 1]]);
  const covered = batch.ops.length + entrySeqs(batch.turns);
  if (covered) pairs.push([batch.firstSeq, batch.firstSeq + covered]);
  pairs.sort((a, b) => a[0] - b[0]);
  return emptyBatch(batch.firstSeq, pairs.flat());
}

/** A records batch with no records, only the given dropped ranges. */
export function emptyBatch(firstSeq: number, droppedRanges: number[]): RecordBatch {
  return { firstSeq, ops: new Uint8Array(0), ids: new Int32Array(0), times: new Float64Array(0), links: new Float64Array(0), linkKinds: new Uint8Array(0), droppedRanges };
}
