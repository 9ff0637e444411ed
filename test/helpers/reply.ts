/**
 * What a server wrote back on one connection, as comparable lines: HTTP
 * responses (status, headers, body) and, after a 101, WebSocket frames, with
 * everything random or timing-dependent normalised away (session ids, dates,
 * heartbeat pings). Two servers that behave the same give the same lines.
 */
import { Buffer } from "node:buffer";
import { headEnd, serverFrames } from "./raw-clients.js";

const SHOWN = 160;

/** Replaces what differs between two runs of the same server: sids, dates. */
export function normalise(text: string): string {
  return text
    .replace(/"sid":"[^"]*"/g, '"sid":"<sid>"')
    .replace(/([?&]sid=)[^&\s"]+/g, "$1<sid>")
    .replace(/^Date: .*$/gim, "Date: <date>");
}

/** Latin1 text of the bytes, control characters escaped, cut with the full size when long. */
function shown(bytes: Buffer): string {
  const text = normalise(bytes.subarray(0, SHOWN * 4).toString("latin1"));
  const cut = text.length > SHOWN ? `${text.slice(0, SHOWN)}… (${bytes.length} B)` : text;
  return cut.replace(/[\x00-\x1f\x7f-\x9f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, "0")}`);
}

const OPCODES: Record<number, string> = { 0: "continuation", 1: "text", 2: "binary", 8: "close", 9: "ping", 10: "pong" };

function frameLines(bytes: Buffer): string[] {
  const frames = serverFrames(bytes);
  const lines: string[] = [];
  let used = 0;
  for (const f of frames) {
    used += f.payload.length + (f.payload.length < 126 ? 2 : f.payload.length < 65536 ? 4 : 10);
    const name = OPCODES[f.opcode] ?? `opcode-${f.opcode}`;
    // Heartbeats arrive on a timer, so whether one falls inside a test's window is chance.
    if (f.opcode === 1 && f.payload.toString("latin1") === "2") continue;
    if (f.opcode === 8) {
      const code = f.payload.length >= 2 ? f.payload.readUInt16BE(0) : "(no code)";
      lines.push(`ws close ${code}${f.payload.length > 2 ? ` ${shown(f.payload.subarray(2))}` : ""}`);
    } else lines.push(`ws ${name}${f.fin ? "" : " (no FIN)"} ${shown(f.payload)}`);
  }
  if (used < bytes.length) lines.push(`ws incomplete frame, ${bytes.length - used} B`);
  return lines;
}

function bodyLength(head: string): number | "chunked" | undefined {
  if (/^transfer-encoding:.*chunked/im.test(head)) return "chunked";
  const m = /^content-length:\s*(\d+)/im.exec(head);
  return m ? Number(m[1]) : undefined;
}

function dechunk(bytes: Buffer): { body: Buffer; used: number } | undefined {
  const parts: Buffer[] = [];
  let at = 0;
  for (;;) {
    const lineEnd = bytes.indexOf("\r\n", at, "latin1");
    if (lineEnd < 0) return undefined;
    const size = parseInt(bytes.subarray(at, lineEnd).toString("latin1"), 16);
    if (Number.isNaN(size)) return undefined;
    at = lineEnd + 2;
    if (size === 0) {
      const end = bytes.indexOf("\r\n", at, "latin1");
      return end < 0 ? undefined : { body: Buffer.concat(parts), used: end + 2 };
    }
    if (at + size + 2 > bytes.length) return undefined;
    parts.push(bytes.subarray(at, at + size));
    at += size + 2;
  }
}

/**
 * The server's side of a connection as lines.
 *
 * @example
 * describeReply(Buffer.from("HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n"));
 * // ["HTTP/1.1 400 Bad Request", "  Connection: close"]
 */
export function describeReply(bytes: Buffer): string[] {
  const lines: string[] = [];
  let rest = bytes;
  while (rest.length > 0) {
    const end = headEnd(rest);
    if (end < 0) {
      lines.push(`incomplete: ${shown(rest)}`);
      break;
    }
    const head = rest.subarray(0, end - 4).toString("latin1");
    const [status = "", ...headers] = head.split("\r\n");
    lines.push(status, ...headers.map((h) => `  ${normalise(h)}`));
    rest = rest.subarray(end);
    if (/^HTTP\/1\.1 101 /.test(status)) {
      lines.push(...frameLines(rest));
      break;
    }
    const length = bodyLength(head);
    if (length === "chunked") {
      const body = dechunk(rest);
      if (!body) {
        lines.push(`  incomplete chunked body: ${shown(rest)}`);
        break;
      }
      if (body.body.length > 0) lines.push(`  body ${shown(body.body)}`);
      rest = rest.subarray(body.used);
    } else if (length !== undefined) {
      if (length > 0) lines.push(`  body ${shown(rest.subarray(0, length))}`);
      rest = rest.subarray(Math.min(length, rest.length));
    }
  }
  return lines;
}
