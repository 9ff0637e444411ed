/**
 * A frame's bytes as a hex dump (offset, sixteen bytes, their ASCII), for
 * binary frames and anything the decoders call malformed. Pure: the bytes are
 * the captured chunks' own, gathered by {@link messageBytes}.
 */
import type { Chunk } from "../trace/model.js";
import type { Line } from "./theme.js";

/** The most bytes dumped; a longer message says how many are left out. */
export const HEX_LIMIT = 4096;

/** The captured bytes of the chunks a message spans (on its connection and direction), and whether capture cut any. */
export function messageBytes(chunks: readonly Chunk[], message: { readonly conn: number; readonly dir: string; readonly firstChunk: number; readonly lastChunk: number }): { bytes: Uint8Array; truncated: boolean } {
  const parts: Buffer[] = [];
  let truncated = false;
  for (const chunk of chunks) {
    if (chunk.seq < message.firstChunk || chunk.seq > message.lastChunk || chunk.conn !== message.conn || chunk.dir !== message.dir) continue;
    parts.push(Buffer.from(chunk.data, "base64"));
    truncated ||= chunk.truncated === true;
  }
  return { bytes: Buffer.concat(parts), truncated };
}

/**
 * Lines of an `xxd`-style dump of `bytes`: `0000  81 02 34 32 …  |..42|`,
 * sixteen bytes a row when `width` has room for it (73 columns), else eight.
 *
 * @example
 * hexLines(Uint8Array.of(0x81, 0x01, 0x32))[0].text; // "0000  81 01 32 … |..2|"
 */
export function hexLines(bytes: Uint8Array, limit = HEX_LIMIT, width = 80): Line[] {
  const out: Line[] = [];
  const shown = Math.min(bytes.length, limit);
  const perRow = width >= 73 ? 16 : 8;
  for (let at = 0; at < shown; at += perRow) {
    const row = bytes.subarray(at, Math.min(at + perRow, shown));
    const hex = [...row].map((b) => b.toString(16).padStart(2, "0")).join(" ");
    const ascii = [...row].map((b) => (b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : ".")).join("");
    out.push({ text: `${at.toString(16).padStart(4, "0")}  ${hex.padEnd(perRow * 3 - 1)}  |${ascii}|`, tone: "code" });
  }
  if (bytes.length > shown) out.push({ text: `… ${bytes.length - shown} more bytes not shown`, tone: "dim" });
  if (bytes.length === 0) out.push({ text: "no bytes captured", tone: "dim" });
  return out;
}
