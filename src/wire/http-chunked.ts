/**
 * Incremental `Transfer-Encoding: chunked` de-chunking (RFC 9112 §7.1).
 */
import { MAX_CHUNK_LINE, MAX_HEAD_BYTES } from "./limits.js";
import { printableText } from "./text.js";

const CR = 0x0d;
const LF = 0x0a;
const SIZE_LINE = /^([0-9a-fA-F]{1,13})[ \t]*(;.*)?$/;

/** What one `feed` call made of the bytes it was given. */
export interface DechunkStep {
  /** Index after the last byte consumed. */
  readonly at: number;
  /** De-chunked body bytes, as views into the input. */
  readonly data: readonly Uint8Array[];
  readonly done: boolean;
  readonly error?: string;
}

/** Removes chunk framing from a body that arrives in pieces. */
export class Dechunker {
  private state: "size" | "data" | "data-end" | "trailer" | "done" = "size";
  private line = "";
  private remaining = 0;
  private trailerBytes = 0;

  /** Whether the de-chunker is inside chunk data, where missing bytes can be skipped. */
  get inData(): boolean {
    return this.state === "data";
  }

  /** Bytes left in the current chunk. */
  get dataLeft(): number {
    return this.state === "data" ? this.remaining : 0;
  }

  /** Consumes bytes from `start` until the body ends or the input runs out. */
  feed(bytes: Uint8Array, start: number): DechunkStep {
    const data: Uint8Array[] = [];
    let i = start;
    while (i < bytes.length && this.state !== "done") {
      if (this.state === "data") {
        const take = Math.min(this.remaining, bytes.length - i);
        data.push(bytes.subarray(i, i + take));
        i += take;
        this.remaining -= take;
        if (this.remaining === 0) this.state = "data-end";
        continue;
      }
      const b = bytes[i++];
      if (b !== LF) {
        if (this.state === "data-end" && b !== CR) return { at: i, data, done: false, error: "missing CRLF after chunk data" };
        this.line += String.fromCharCode(b);
        if (this.state === "size" && this.line.length > MAX_CHUNK_LINE) return { at: i, data, done: false, error: "chunk size line too long" };
        if (this.state === "trailer" && ++this.trailerBytes > MAX_HEAD_BYTES) return { at: i, data, done: false, error: "chunked trailer too long" };
        continue;
      }
      const line = this.line.endsWith("\r") ? this.line.slice(0, -1) : this.line;
      this.line = "";
      const error = this.endLine(line);
      if (error) return { at: i, data, done: false, error };
    }
    return { at: i, data, done: this.state === "done" };
  }

  /** Skips `n` uncaptured bytes inside chunk data; returns how many it could skip. */
  skip(n: number): number {
    if (this.state !== "data") return 0;
    const k = Math.min(n, this.remaining);
    this.remaining -= k;
    if (this.remaining === 0) this.state = "data-end";
    return k;
  }

  private endLine(line: string): string | undefined {
    switch (this.state) {
      case "size": {
        const m = SIZE_LINE.exec(line);
        if (!m) return /^[0-9a-fA-F]{14,}/.test(line) ? "chunk size too large" : `bad chunk size "${printableText(line, 40)}"`;
        this.remaining = parseInt(m[1], 16);
        this.state = this.remaining === 0 ? "trailer" : "data";
        return undefined;
      }
      case "data-end":
        if (line !== "") return "missing CRLF after chunk data";
        this.state = "size";
        return undefined;
      case "trailer":
        if (line === "") this.state = "done";
        return undefined;
      default:
        return undefined;
    }
  }
}
