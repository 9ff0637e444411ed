/**
 * Where the traced process puts bulk batches while its IPC channel is backed
 * up, instead of dropping them: a file beside its spill file, written
 * synchronously, that the CLI reads as the notices of each write arrive.
 *
 * A channel backs up when the CLI reads slower than the app records, and also
 * when the app's own event loop is stuck: a server flooded past what it can
 * serve (the chat broadcasting to 100 sockets, bare or traced) ran one loop
 * iteration of 13–22 s, in which no IPC write completes. Before this, the
 * tracer shed every turn from the first second of such a stall to its end
 * (97 % of a 60 s flood's calls); a write to a file completes whatever the
 * event loop does.
 */
import { Buffer } from "node:buffer";
import { closeSync, openSync, readSync, writeSync } from "node:fs";
import { dirname, join } from "node:path";
import { deserialize, serialize } from "node:v8";
import type { Numbered } from "./protocol.js";

/**
 * Bytes the overflow file may grow to; past it bulk batches are dropped and counted, as before.
 * Disk, not memory: the traced process holds none of it. A 60 s flood of the chat server (100
 * sockets, every message broadcast to all; bench/flood) wrote 94 batches, 103 MB, for 56.7M calls.
 */
export const MAX_OVERFLOW_BYTES = 512 * 1024 * 1024;

/** The overflow file of the process whose spill file is `spillFile`: the CLI and the process agree on it. */
export function overflowFileOf(spillFile: string): string {
  return join(dirname(spillFile), "overflow.bin");
}

/** Where one message was written. */
export interface OverflowPlace {
  readonly offset: number;
  readonly length: number;
}

/** The traced process's side: appends numbered messages, until full or a write fails. */
export class OverflowFile {
  private fd: number | undefined;
  private size = 0;
  private failed = false;

  constructor(
    private readonly path: string,
    private readonly maxBytes = MAX_OVERFLOW_BYTES,
  ) {}

  /** False once the file is full or a write failed: batches are then dropped and counted. */
  get open(): boolean {
    return !this.failed && this.size < this.maxBytes;
  }

  /** Bytes written so far. */
  get bytes(): number {
    return this.size;
  }

  /** Writes `message`; returns where, or undefined (and stays closed) when it cannot. */
  write(message: Numbered): OverflowPlace | undefined {
    if (!this.open) return undefined;
    try {
      const bytes = serialize(message);
      if (this.size + bytes.length > this.maxBytes) {
        this.size = this.maxBytes;
        return undefined;
      }
      this.fd ??= openSync(this.path, "w");
      let done = 0;
      while (done < bytes.length) done += writeSync(this.fd, bytes, done, bytes.length - done, this.size + done);
      const place = { offset: this.size, length: bytes.length };
      this.size += bytes.length;
      return place;
    } catch {
      // A full disk or a removed folder: drop and count from here on, never throw into the app.
      this.failed = true;
      return undefined;
    }
  }

  /** Closes the file (it stays for the CLI to read). */
  close(): void {
    if (this.fd === undefined) return;
    try {
      closeSync(this.fd);
    } catch {
      // Already gone with the process's end.
    }
    this.fd = undefined;
  }
}

/** The CLI's side: the message written at `place` in `file`, or undefined when it cannot be read. */
export function readOverflow(file: string, place: OverflowPlace): Numbered | undefined {
  let fd: number | undefined;
  try {
    fd = openSync(file, "r");
    const bytes = Buffer.alloc(place.length);
    let done = 0;
    while (done < place.length) {
      const n = readSync(fd, bytes, done, place.length - done, place.offset + done);
      if (n === 0) return undefined;
      done += n;
    }
    return deserialize(bytes) as Numbered;
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
