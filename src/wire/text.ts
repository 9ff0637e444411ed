/**
 * Turning untrusted bytes and strings into bounded, printable text.
 *
 * Cut text ends in `… N more`: N counts bytes not shown when the text came from
 * bytes, characters when it came from a string.
 */
import { HEX_PREVIEW_BYTES } from "./limits.js";

const utf8 = new TextDecoder("utf-8", { fatal: true });
const latin1 = new TextDecoder("latin1");
const encoder = new TextEncoder();

/** Bytes of a string once encoded as UTF-8, without allocating the encoding. */
export function utf8Length(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      n += 4;
      i++;
    } else n += 3;
  }
  return n;
}

/** UTF-8 bytes of a string. */
export function toUtf8(text: string): Uint8Array {
  return encoder.encode(text);
}

/** Whether the bytes are complete, valid UTF-8. */
export function isUtf8(bytes: Uint8Array): boolean {
  try {
    utf8.decode(bytes);
    return true;
  } catch {
    return false;
  }
}

/** Decodes bytes as UTF-8 when they are valid UTF-8, else as latin1 (one char per byte). */
export function bytesToText(bytes: Uint8Array): { readonly text: string; readonly utf8: boolean } {
  try {
    // `stream` tolerates a code point cut at the end of a kept prefix.
    return { text: new TextDecoder("utf-8", { fatal: true }).decode(bytes, { stream: true }), utf8: true };
  } catch {
    return { text: latin1.decode(bytes), utf8: false };
  }
}

function escapeChar(c: number): string | undefined {
  if (c === 0x0a) return "\\n";
  if (c === 0x0d) return "\\r";
  if (c === 0x09) return "\\t";
  if (c < 0x20 || (c >= 0x7f && c <= 0x9f)) return `\\x${c.toString(16).padStart(2, "0")}`;
  // Line separators and bidi controls would let traffic rearrange a terminal line.
  if (c === 0x2028 || c === 0x2029 || c === 0x200e || c === 0x200f || c === 0xfeff
    || (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069)) {
    return `\\u${c.toString(16).padStart(4, "0")}`;
  }
  return undefined;
}

/** How `bytesAsText` treats control characters: kept, all escaped, or escaped but for line feeds and tabs. */
export type Escape = boolean | "keep-lines";

/**
 * Escapes control characters and cuts to `max` output characters; returns the source characters consumed.
 * The output is built from whole runs of plain text (the input itself when nothing is escaped or cut) and
 * joined once: appending a character at a time made every decoded payload a tree of ~70 ConsString nodes
 * that nothing flattened, two thirds of the CLI's heap after a flood (issue 18).
 */
function escapeCut(text: string, max: number, keepLines = false): { readonly out: string; readonly consumed: number } {
  const parts: string[] = [];
  /** Where the run of plain characters not yet in `parts` starts. */
  let run = 0;
  let width = 0;
  let i = 0;
  for (; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (keepLines && (c === 0x0a || c === 0x09)) {
      if (width + 1 > max) break;
      width++;
      continue;
    }
    const next = text.charCodeAt(i + 1);
    const isPair = c >= 0xd800 && c <= 0xdbff && next >= 0xdc00 && next <= 0xdfff;
    // A lone surrogate cannot be printed; show it like the other escapes.
    const escaped = escapeChar(c) ?? (!isPair && c >= 0xd800 && c <= 0xdfff ? `\\u${c.toString(16)}` : undefined);
    const w = escaped?.length ?? (isPair ? 2 : 1);
    if (width + w > max) break;
    width += w;
    if (escaped !== undefined) {
      if (run < i) parts.push(text.slice(run, i));
      parts.push(escaped);
      run = i + 1;
    }
    if (isPair) i++;
  }
  if (parts.length === 0) return { out: i === text.length ? text : text.slice(0, i), consumed: i };
  if (run < i) parts.push(text.slice(run, i));
  return { out: parts.join(""), consumed: i };
}

/** Escapes control characters (`\x1e`, `\n`…) so the text stays on one terminal line. */
export function escapeControls(text: string): string {
  return escapeCut(text, Number.POSITIVE_INFINITY).out;
}

/** A string cut to `max` characters, with `… N more` (N in characters) when cut. */
export function cutText(text: string, max: number): string {
  if (text.length <= max) return text;
  let end = max;
  const c = text.charCodeAt(end - 1);
  if (c >= 0xd800 && c <= 0xdbff) end--;
  return `${text.slice(0, end)}… ${text.length - end} more`;
}

/** Printable, escaped, one-line form of a string, cut to `max` characters (N in characters). */
export function printableText(text: string, max: number): string {
  const { out, consumed } = escapeCut(text, max);
  return consumed < text.length ? `${out}… ${text.length - consumed} more` : out;
}

/**
 * Bytes as display text: UTF-8 when valid, latin1 otherwise, cut to `max` characters.
 * `total` is the real size when only a prefix of the bytes was kept. Traffic is untrusted
 * and display text ends up on terminals: `escape` true escapes every control character,
 * "keep-lines" all but line feeds and tabs (for bodies and payloads shown as blocks).
 */
export function bytesAsText(bytes: Uint8Array, max: number, total = bytes.length, escape: Escape = false): string {
  // At most 4 bytes per character: decoding more could never be shown.
  const { text, utf8: isText } = bytesToText(bytes.subarray(0, max * 4));
  const { out, consumed } = escape ? escapeCut(text, max, escape === "keep-lines") : plainCut(text, max);
  const shownBytes = isText ? utf8Length(text.slice(0, consumed)) : consumed;
  return shownBytes < total ? `${out}… ${total - shownBytes} more` : out;
}

function plainCut(text: string, max: number): { readonly out: string; readonly consumed: number } {
  if (text.length <= max) return { out: text, consumed: text.length };
  const c = text.charCodeAt(max - 1);
  const end = c >= 0xd800 && c <= 0xdbff ? max - 1 : max;
  return { out: text.slice(0, end), consumed: end };
}

/** Hex preview of binary data: `<binary 3 bytes> 01 02 03`, cut with `… N more`. */
export function hexPreview(bytes: Uint8Array, total = bytes.length, max = HEX_PREVIEW_BYTES): string {
  const shown = Math.min(bytes.length, max, total);
  const hex = Array.from(bytes.subarray(0, shown), (b) => b.toString(16).padStart(2, "0")).join(" ");
  const head = `<binary ${total} byte${total === 1 ? "" : "s"}>${hex ? ` ${hex}` : ""}`;
  return shown < total ? `${head}… ${total - shown} more` : head;
}

/** Plain hex of a few bytes, e.g. a masking key. */
export function toHex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}
