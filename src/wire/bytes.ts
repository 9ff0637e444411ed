/**
 * Small byte helpers shared by the incremental parsers.
 */

/** Where a decoded message's bytes came from: the captured chunk they arrived in. */
export interface ChunkRef {
  readonly seq: number;
  readonly time: number;
  readonly call?: number;
  /** The seq after the calls the chunk started (inbound). */
  readonly callEnd?: number;
}

/** Joins byte arrays into one. */
export function concatBytes(parts: readonly Uint8Array[]): Uint8Array {
  if (parts.length === 1) return parts[0];
  let size = 0;
  for (const p of parts) size += p.length;
  const out = new Uint8Array(size);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/**
 * Collects bytes up to a limit and counts all of them, so a body or payload of
 * any declared size costs at most `limit` bytes of memory.
 */
export class CappedBytes {
  private readonly parts: Uint8Array[] = [];
  private kept = 0;
  /** Every byte offered, kept or not. */
  size = 0;
  /** Bytes that were on the wire but never captured (see `skip`). */
  missing = 0;

  constructor(private readonly limit: number) {}

  /** Offers bytes; keeps what fits under the limit. */
  add(bytes: Uint8Array): void {
    this.size += bytes.length;
    const room = this.limit - this.kept;
    if (room <= 0 || bytes.length === 0 || this.missing > 0) return;
    // Copy: the caller's buffer may be reused or far larger than the slice.
    const piece = bytes.slice(0, room);
    this.parts.push(piece);
    this.kept += piece.length;
  }

  /** Counts bytes that were on the wire but not captured; nothing after them is kept. */
  skip(n: number): void {
    this.size += n;
    this.missing += n;
  }

  /** Whether every byte offered was kept. */
  get complete(): boolean {
    return this.kept === this.size;
  }

  /** The kept bytes. */
  bytes(): Uint8Array {
    if (this.parts.length > 1) this.parts.splice(0, this.parts.length, concatBytes(this.parts));
    return this.parts[0] ?? new Uint8Array(0);
  }
}
