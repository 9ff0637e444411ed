/**
 * Captured chunks packed in columns: one byte buffer and a few typed arrays
 * per batch instead of one object (and one buffer) per chunk.
 *
 * Under load a batch holds thousands of chunks. As objects, each costs an
 * allocation when captured, a property-by-property walk when serialized for
 * IPC and another when deserialized by the CLI; as columns, the capture is a
 * copy into a reused buffer and the IPC a handful of memcpys.
 *
 * Seqs are positional: chunk i of a batch has seq `firstSeq + i`, and the
 * `dropped` chunks that follow the kept ones take the next seqs, so batches
 * cover the seq space without holes and a receiver can tell a lost batch
 * from a late one.
 */

/** Kept chunks of a batch, in capture order. */
export interface ChunkColumns {
  readonly firstSeq: number;
  /** Connection of each chunk. */
  readonly conn: Int32Array;
  /** 0: into the server, 1: out of it. */
  readonly dir: Uint8Array;
  /** `performance.now()` of the capture, in the capturing process. */
  readonly time: Float64Array;
  /** Seq of the call that produced or consumed the chunk, or -1. */
  readonly call: Float64Array;
  /**
   * An inbound chunk: the seq after the last call its push started (those calls are
   * `call <= seq < callEnd`), or -1. One read can carry several messages, each starting its own handler.
   * Absent in runs recorded before it (`test/fixtures/runs/`).
   */
  readonly callEnd?: Float64Array;
  /** Real size of each chunk; its kept bytes may be fewer (a display cap). */
  readonly size: Float64Array;
  /** End offset of chunk i's kept bytes in `data`; chunk i starts where chunk i-1 ends. */
  readonly ends: Uint32Array;
  readonly data: Uint8Array;
}

/** One chunk of a batch, as the CLI stores it. */
export interface ChunkView {
  readonly seq: number;
  readonly conn: number;
  readonly dir: "in" | "out";
  readonly time: number;
  readonly call: number;
  readonly callEnd: number;
  readonly size: number;
  /** A copy: a kept chunk must not pin the whole batch. */
  readonly bytes: Uint8Array;
}

/** Number of chunks in `columns`. */
export function chunkCount(columns: ChunkColumns): number {
  return columns.conn.length;
}

/** Chunk `i` of `columns`. */
export function chunkAt(columns: ChunkColumns, i: number): ChunkView {
  const start = i === 0 ? 0 : columns.ends[i - 1];
  return {
    seq: columns.firstSeq + i,
    conn: columns.conn[i],
    dir: columns.dir[i] === 0 ? "in" : "out",
    time: columns.time[i],
    call: columns.call[i],
    callEnd: columns.callEnd?.[i] ?? -1,
    size: columns.size[i],
    bytes: columns.data.slice(start, columns.ends[i]),
  };
}

/** Bytes kept in `columns` (what crosses IPC, roughly). */
export function keptBytes(columns: ChunkColumns): number {
  return columns.data.byteLength + chunkCount(columns) * 41;
}

/** Sum of the real sizes of the chunks in `columns`. */
export function realBytes(columns: ChunkColumns): number {
  let total = 0;
  for (let i = 0; i < columns.size.length; i++) total += columns.size[i];
  return total;
}

/** No chunks, starting at `firstSeq`. */
export function noChunks(firstSeq: number): ChunkColumns {
  return { firstSeq, conn: new Int32Array(0), dir: new Uint8Array(0), time: new Float64Array(0), call: new Float64Array(0), callEnd: new Float64Array(0), size: new Float64Array(0), ends: new Uint32Array(0), data: new Uint8Array(0) };
}

/**
 * Collects chunks into reused columns until taken. Grows by doubling; after a
 * take, shrinks back when a burst left it much bigger than what it holds now.
 */
export class ChunkPacker {
  private firstSeq = 0;
  private count = 0;
  private used = 0;
  private conn = new Int32Array(256);
  private dir = new Uint8Array(256);
  private time = new Float64Array(256);
  private call = new Float64Array(256);
  private callEnd = new Float64Array(256);
  private size = new Float64Array(256);
  private ends = new Uint32Array(256);
  private data = new Uint8Array(64 * 1024);

  /** Kept bytes waiting to be taken. */
  get pendingBytes(): number {
    return this.used;
  }

  /** Chunks waiting to be taken. */
  get length(): number {
    return this.count;
  }

  /** Seq the next chunk gets. */
  get nextSeq(): number {
    return this.firstSeq + this.count;
  }

  /** Adds a chunk, keeping at most `keep` of its bytes; returns its index in the batch. */
  add(conn: number, dir: "in" | "out", time: number, bytes: Uint8Array, keep: number, call: number): number {
    const i = this.count;
    if (i === this.conn.length) this.growRows();
    const n = Math.min(bytes.length, keep);
    if (this.used + n > this.data.length) this.growData(this.used + n);
    this.data.set(n === bytes.length ? bytes : bytes.subarray(0, n), this.used);
    this.used += n;
    this.conn[i] = conn;
    this.dir[i] = dir === "in" ? 0 : 1;
    this.time[i] = time;
    this.call[i] = call;
    this.callEnd[i] = -1;
    this.size[i] = bytes.length;
    this.ends[i] = this.used;
    this.count = i + 1;
    return i;
  }

  /** Sets the calls chunk `index` of the current batch started: seqs `call` up to, not including, `end`. */
  setCalls(index: number, call: number, end: number): void {
    if (index >= this.count) return;
    this.call[index] = call;
    this.callEnd[index] = end;
  }

  /** Copies out the batch and starts the next one at seq `nextSeq` (after `skipped` dropped chunks). */
  take(skipped = 0): ChunkColumns {
    const n = this.count;
    const columns: ChunkColumns = {
      firstSeq: this.firstSeq,
      conn: this.conn.slice(0, n),
      dir: this.dir.slice(0, n),
      time: this.time.slice(0, n),
      call: this.call.slice(0, n),
      callEnd: this.callEnd.slice(0, n),
      size: this.size.slice(0, n),
      ends: this.ends.slice(0, n),
      data: this.data.slice(0, this.used),
    };
    this.firstSeq += n + skipped;
    this.count = 0;
    // A burst must not keep its peak allocation for the rest of the run.
    if (this.data.length > 4 * 1024 * 1024 && this.used < this.data.length / 4) this.data = new Uint8Array(this.data.length / 4);
    this.used = 0;
    return columns;
  }

  private growRows(): void {
    const next = this.conn.length * 2;
    const grow = <T extends Int32Array | Uint8Array | Float64Array | Uint32Array>(old: T, make: (n: number) => T): T => {
      const fresh = make(next);
      fresh.set(old as never);
      return fresh;
    };
    this.conn = grow(this.conn, (n) => new Int32Array(n));
    this.dir = grow(this.dir, (n) => new Uint8Array(n));
    this.time = grow(this.time, (n) => new Float64Array(n));
    this.call = grow(this.call, (n) => new Float64Array(n));
    this.callEnd = grow(this.callEnd, (n) => new Float64Array(n));
    this.size = grow(this.size, (n) => new Float64Array(n));
    this.ends = grow(this.ends, (n) => new Uint32Array(n));
  }

  private growData(needed: number): void {
    let next = this.data.length * 2;
    while (next < needed) next *= 2;
    const fresh = new Uint8Array(next);
    fresh.set(this.data.subarray(0, this.used));
    this.data = fresh;
  }
}
