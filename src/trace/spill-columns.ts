/**
 * Rows of numbers in columns whose memory is bounded however many rows are
 * added: rows go into blocks (one Float64Array each, column after column);
 * past `hotBlocks` full blocks held, the oldest full block is written to a
 * temporary file and let go, and read back one block at a time when a row of
 * it is asked for. A run at saturation folds millions of turns: held as
 * objects they grew the CLI without end, spilled they cost a fixed amount
 * of memory and 8 bytes of disk per number.
 * The file is unlinked as soon as it is open, so it goes with the process
 * whatever way the process ends; it lives in the OS's temporary directory.
 */
import { closeSync, openSync, readSync, unlinkSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** How a {@link SpillColumns} sizes its blocks. */
export interface SpillOptions {
  /** Rows per block: a power of two. */
  readonly blockRows?: number;
  /** Full blocks held in memory before the oldest is spilled. */
  readonly hotBlocks?: number;
}

/** What a {@link SpillColumns} holds where (for tests and the bench). */
export interface SpillStats {
  readonly rows: number;
  /** Rows held in memory (the blocks not spilled, the one being filled included). */
  readonly hotRows: number;
  readonly spilledBlocks: number;
}

/** Blocks of 4,096 rows, 4 held besides the one being filled: at most 20,480 rows a list in memory (1.1 MB for a step's turns). */
export const SPILL_DEFAULTS = { blockRows: 4096, hotBlocks: 4 } as const;
/** The block being filled starts this small and doubles, so that a list of a few rows costs a few rows. */
const FIRST_CAPACITY = 16;

/** Closes a spill file once its columns are garbage (the file is unlinked already: closing frees its disk). */
const files = new FinalizationRegistry<number>((fd) => {
  try {
    closeSync(fd);
  } catch {
    // Closed already (the process is ending).
  }
});

let fileCount = 0;

/** Number rows in columns, spilled to a temporary file past a fixed number of blocks in memory. */
export class SpillColumns {
  private readonly blockRows: number;
  private readonly shift: number;
  private readonly hotBlocks: number;
  /** Full blocks by number; `undefined` once spilled. */
  private readonly blocks: (Float64Array | undefined)[] = [];
  /** The first row of each full block, every column (`width` numbers a block), for searching spilled blocks without reading them. */
  private readonly heads: number[] = [];
  /** Full blocks still in memory, oldest first. */
  private readonly held: number[] = [];
  /** The block being filled, `capacity` rows a column. */
  private current: Float64Array;
  private capacity = FIRST_CAPACITY;
  private filled = 0;
  private fd: number | undefined;
  private spilled = 0;
  /** The last spilled block read back, and its number. */
  private cached: Float64Array | undefined;
  private cachedBlock = -1;

  constructor(readonly width: number, options: SpillOptions = {}) {
    this.blockRows = options.blockRows ?? SPILL_DEFAULTS.blockRows;
    this.shift = Math.log2(this.blockRows);
    if (!Number.isInteger(this.shift) || this.shift < 4) throw new Error(`blockRows must be a power of two ≥ 16, not ${this.blockRows}`);
    this.hotBlocks = Math.max(0, options.hotBlocks ?? SPILL_DEFAULTS.hotBlocks);
    this.current = new Float64Array(width * this.capacity);
  }

  /** Rows added. */
  get length(): number {
    return this.blocks.length * this.blockRows + this.filled;
  }

  /** Where the rows are. */
  get stats(): SpillStats {
    return { rows: this.length, hotRows: this.held.length * this.blockRows + this.filled, spilledBlocks: this.spilled };
  }

  /** Appends one row (`width` numbers). */
  push(...values: number[]): void {
    if (this.filled === this.capacity) this.grow();
    const { current, capacity, filled } = this;
    for (let c = 0; c < this.width; c++) current[c * capacity + filled] = values[c];
    this.filled++;
  }

  /** Column `col` of row `row` (which must be below `length`). */
  get(col: number, row: number): number {
    const block = row >>> this.shift;
    const r = row & (this.blockRows - 1);
    if (block === this.blocks.length) return this.current[col * this.capacity + r];
    return this.block(block)[col * this.blockRows + r];
  }

  /** The first row whose `col` is at or above `value`, the column being ascending. */
  lowerBound(col: number, value: number): number {
    // The block: the last full one whose first row is below `value` (searched on the heads, nothing read).
    let lo = 0;
    let hi = this.blocks.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.heads[mid * this.width + col] < value) lo = mid + 1;
      else hi = mid;
    }
    const block = Math.max(0, lo - 1);
    let first = block * this.blockRows;
    let last = Math.min(this.length, first + (lo === this.blocks.length ? this.blockRows + this.filled : this.blockRows));
    while (first < last) {
      const mid = (first + last) >>> 1;
      if (this.get(col, mid) < value) first = mid + 1;
      else last = mid;
    }
    return first;
  }

  /** The block being filled is full: doubled while small, else sealed (and the oldest held block spilled past the limit). */
  private grow(): void {
    if (this.capacity < this.blockRows) {
      const capacity = this.capacity * 2;
      const next = new Float64Array(this.width * capacity);
      for (let c = 0; c < this.width; c++) next.set(this.current.subarray(c * this.capacity, (c + 1) * this.capacity), c * capacity);
      this.current = next;
      this.capacity = capacity;
      return;
    }
    const sealed = this.current;
    const number = this.blocks.length;
    this.blocks.push(sealed);
    for (let c = 0; c < this.width; c++) this.heads.push(sealed[c * this.blockRows]);
    this.held.push(number);
    if (this.held.length > this.hotBlocks) this.spill(this.held.shift()!);
    this.current = new Float64Array(this.width * this.blockRows);
    this.filled = 0;
  }

  /** Writes full block `number` to the file and lets it go. */
  private spill(number: number): void {
    const data = this.blocks[number]!;
    const fd = this.file();
    const bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
    let done = 0;
    while (done < bytes.length) done += writeSync(fd, bytes, done, bytes.length - done, number * bytes.length + done);
    this.blocks[number] = undefined;
    this.spilled++;
  }

  /** Full block `number`, read back from the file when it was spilled. */
  private block(number: number): Float64Array {
    const held = this.blocks[number];
    if (held) return held;
    if (this.cachedBlock === number && this.cached) return this.cached;
    const data = this.cached ?? new Float64Array(this.width * this.blockRows);
    const bytes = new Uint8Array(data.buffer);
    let done = 0;
    while (done < bytes.length) {
      const n = readSync(this.fd!, bytes, done, bytes.length - done, number * bytes.length + done);
      if (n === 0) throw new Error(`spill file cut short at block ${number}`);
      done += n;
    }
    this.cached = data;
    this.cachedBlock = number;
    return data;
  }

  /** The spill file, opened (and unlinked) on first use. */
  private file(): number {
    if (this.fd === undefined) {
      const path = join(tmpdir(), `trace-socket-spill-${process.pid}-${++fileCount}`);
      this.fd = openSync(path, "wx+", 0o600);
      try {
        unlinkSync(path);
      } catch {
        // Where an open file cannot be unlinked, it stays until the OS cleans its temporary directory.
      }
      files.register(this, this.fd);
    }
    return this.fd;
  }
}
