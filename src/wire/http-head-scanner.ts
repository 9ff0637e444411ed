/**
 * Finding where an HTTP head ends in bytes that arrive in pieces, with the
 * start line judged as soon as it is complete and the head size capped.
 */
import { concatBytes, type ChunkRef } from "./bytes.js";
import { parseHead } from "./http-head.js";
import { MAX_HEAD_BYTES } from "./limits.js";

const LF = 0x0a;
const CR = 0x0d;
const latin1 = new TextDecoder("latin1");

/** Where a scan stopped: after the head (`end`), or -1 when the head goes on. */
export interface HeadScan {
  readonly end: number;
  readonly fatal?: string;
}

/** Collects the bytes of one HTTP head (at most `MAX_HEAD_BYTES`). */
export class HeadScanner {
  private parts: Uint8Array[] = [];
  private lineLen = 0;
  private lineNo = 0;
  /** Bytes scanned since the last reset, blank lines before the start line included. */
  length = 0;
  /** Chunk of the first byte scanned since the last reset. */
  first: ChunkRef | undefined;

  constructor(private readonly side: "request" | "response") {}

  /** Whether anything but blank lines was scanned. */
  get started(): boolean {
    return this.lineNo + this.lineLen > 0;
  }

  /** Scans from `at` until the blank line that ends the head, or a fatal problem. */
  scan(bytes: Uint8Array, at: number, ref: ChunkRef): HeadScan {
    let from = at;
    const stop = (end: number, fatal?: string): HeadScan => {
      this.parts.push(bytes.slice(from, end < 0 ? bytes.length : end));
      return fatal ? { end, fatal } : { end };
    };
    for (let i = at; i < bytes.length; i++) {
      const b = bytes[i];
      this.first ??= ref;
      this.length++;
      if (b === CR) continue;
      if (b !== LF) {
        this.lineLen++;
        if (this.length > MAX_HEAD_BYTES) return stop(i + 1, `HTTP head larger than ${MAX_HEAD_BYTES} bytes`);
        continue;
      }
      const empty = this.lineLen === 0;
      this.lineLen = 0;
      if (empty && this.lineNo === 0) continue; // blank lines before a start line are allowed
      this.lineNo++;
      if (empty) return stop(i + 1);
      if (this.lineNo === 1) {
        // Judge the start line now: garbage rarely ends in a blank line.
        this.parts.push(bytes.slice(from, i + 1));
        from = i + 1;
        const start = parseHead(this.text(), this.side);
        if (start.fatal) return { end: i + 1, fatal: start.fatal };
      }
    }
    return stop(-1);
  }

  /** The head so far as latin1 text, without surrounding blank lines. */
  text(): string {
    return latin1.decode(concatBytes(this.parts)).replace(/^[\r\n]+/, "").replace(/[\r\n]+$/, "");
  }

  /** The raw bytes scanned so far. */
  bytes(): Uint8Array {
    return concatBytes(this.parts);
  }

  /** Starts over for the next head. */
  reset(): void {
    this.parts = [];
    this.lineLen = 0;
    this.lineNo = 0;
    this.length = 0;
    this.first = undefined;
  }
}
