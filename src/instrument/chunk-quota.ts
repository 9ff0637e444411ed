/**
 * The rule by which the CLI keeps a run's first chunks, in one place: the
 * collector applies it to what arrives, and the traced process's tap mirrors
 * it on what it sends, so that it stops sending bytes at the very chunk the
 * CLI would stop keeping them, without waiting to be told.
 */

/** Counts chunks kept against a limit of chunks and of bytes. */
export class ChunkQuota {
  private chunks = 0;
  private bytes = 0;

  constructor(
    /** Chunks kept at most. */
    readonly maxChunks: number,
    /** Bytes of them kept at most. */
    readonly maxBytes: number,
  ) {}

  /** Chunks kept so far. */
  get kept(): number {
    return this.chunks;
  }

  /** Bytes kept so far. */
  get keptBytes(): number {
    return this.bytes;
  }

  /**
   * Whether a chunk keeping `size` bytes is kept; counts it if so. A chunk too big for the bytes
   * left is not, and a smaller one later may still be: the quota closes only when none can be.
   */
  take(size: number): boolean {
    if (this.chunks >= this.maxChunks || this.bytes + size > this.maxBytes) return false;
    this.chunks++;
    this.bytes += size;
    return true;
  }

  /** True once no chunk can be kept any more: the chunk limit is reached, or no byte is left. */
  get closed(): boolean {
    return this.chunks >= this.maxChunks || this.bytes >= this.maxBytes;
  }
}
