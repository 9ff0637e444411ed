/**
 * Parsing one complete HTTP/1.1 head (start line and header lines) and working
 * out how the body that follows it is framed.
 */
import { MAX_HEADERS } from "./limits.js";
import { printableText } from "./text.js";

const TOKEN = "[!#$%&'*+.^_`|~0-9A-Za-z-]+";
const REQUEST_LINE = new RegExp(`^(${TOKEN}) ([^\\x00-\\x20\\x7f]+) (HTTP/\\d\\.\\d)$`);
const STATUS_LINE = /^(HTTP\/\d\.\d) (\d{3})(?: ([^\x00-\x08\x0a-\x1f\x7f]*))?$/;
const HEADER_LINE = new RegExp(`^(${TOKEN}):[ \\t]*(.*?)[ \\t]*$`);
const BAD_VALUE = /[\x00-\x08\x0a-\x1f\x7f]/;

/** How the body after a head is delimited. */
export type BodyFraming =
  | { readonly kind: "none" }
  | { readonly kind: "length"; readonly length: number }
  | { readonly kind: "chunked" }
  | { readonly kind: "until-close" };

/** A parsed head. `fatal` means the framing cannot be trusted; `flag` is a non-fatal finding. */
export interface ParsedHead {
  readonly startLine: string;
  readonly method: string;
  readonly target: string;
  readonly version: string;
  readonly status: number;
  readonly reason: string;
  readonly headers: readonly (readonly [string, string])[];
  readonly fatal?: string;
  readonly flag?: string;
  /** The body framing the headers declare, before status or method exceptions. */
  readonly framing: BodyFraming;
  /** Lower-cased `Upgrade` value when `Connection: upgrade` asks for it. */
  readonly upgrade?: string;
  /** Lower-cased `Content-Encoding`, when present. */
  readonly contentEncoding?: string;
  readonly extensions: string;
}

/** Case-insensitive lookup of every value of one header. */
export function headerValues(headers: readonly (readonly [string, string])[], name: string): string[] {
  const lower = name.toLowerCase();
  return headers.filter(([k]) => k.toLowerCase() === lower).map(([, v]) => v);
}

function tokens(values: readonly string[]): string[] {
  return values.flatMap((v) => v.split(",")).map((t) => t.trim().toLowerCase()).filter(Boolean);
}

/**
 * Parses head lines (latin1 text without the blank line that ends the head).
 * Never throws: problems come back as `fatal` or `flag`.
 */
export function parseHead(text: string, side: "request" | "response"): ParsedHead {
  const lines = text.split("\n").map((l) => (l.endsWith("\r") ? l.slice(0, -1) : l));
  const startLine = lines[0] ?? "";
  const problems: string[] = [];
  let method = "";
  let target = "";
  let version = "";
  let status = 0;
  let reason = "";
  if (side === "request") {
    const m = REQUEST_LINE.exec(startLine);
    if (m) [, method, target, version] = m;
    else problems.push("not an HTTP request line");
  } else {
    const m = STATUS_LINE.exec(startLine);
    if (m) {
      version = m[1];
      status = Number(m[2]);
      reason = m[3] ?? "";
    } else problems.push("not an HTTP status line");
  }

  // Framing headers are collected from every line, even past the display cap.
  const headers: [string, string][] = [];
  const framingHeaders: [string, string][] = [];
  let count = 0;
  for (const line of lines.slice(1)) {
    const m = HEADER_LINE.exec(line);
    if (!m || BAD_VALUE.test(m[2])) {
      if (problems.length === 0) problems.push(/^[ \t]/.test(line) ? "obsolete header line folding" : "bad header line");
      continue;
    }
    count++;
    const entry: [string, string] = [m[1], m[2]];
    if (headers.length < MAX_HEADERS) headers.push(entry);
    if (/^(content-length|transfer-encoding|connection|upgrade|content-encoding|sec-websocket-extensions)$/i.test(m[1])) {
      framingHeaders.push(entry);
    }
  }
  const flags: string[] = [];
  if (count > MAX_HEADERS) flags.push(`${count} headers, more than ${MAX_HEADERS}; only the first ${MAX_HEADERS} kept`);

  const { framing, problem, flag } = framingOf(framingHeaders, side);
  if (problem && problems.length === 0) problems.push(problem);
  if (flag) flags.push(flag);

  const upgradeValue = headerValues(framingHeaders, "upgrade")[0];
  const connection = tokens(headerValues(framingHeaders, "connection"));
  const encoding = headerValues(framingHeaders, "content-encoding")[0];
  return {
    startLine, method, target, version, status, reason, headers, framing,
    ...(problems.length > 0 ? { fatal: problems[0] } : {}),
    ...(flags.length > 0 ? { flag: flags.join("; ") } : {}),
    ...(upgradeValue !== undefined && (connection.includes("upgrade") || side === "response")
      ? { upgrade: upgradeValue.trim().toLowerCase() } : {}),
    ...(encoding !== undefined ? { contentEncoding: encoding.trim().toLowerCase() } : {}),
    extensions: headerValues(framingHeaders, "sec-websocket-extensions").join(", "),
  };
}

function framingOf(
  headers: readonly (readonly [string, string])[],
  side: "request" | "response",
): { framing: BodyFraming; problem?: string; flag?: string } {
  const te = tokens(headerValues(headers, "transfer-encoding"));
  const lengths = headerValues(headers, "content-length").flatMap((v) => v.split(",")).map((v) => v.trim());
  let flag: string | undefined;
  if (te.length > 0) {
    if (lengths.length > 0) flag = "both Transfer-Encoding and Content-Length (request smuggling risk)";
    if (te[te.length - 1] === "chunked") return { framing: { kind: "chunked" }, flag };
    if (side === "request") return { framing: { kind: "none" }, problem: `Transfer-Encoding "${printableText(te.join(", "), 80)}" without chunked` };
    return { framing: { kind: "until-close" }, flag };
  }
  if (lengths.length > 0) {
    if (!lengths.every((v) => /^\d{1,15}$/.test(v))) {
      return { framing: { kind: "none" }, problem: `bad Content-Length "${printableText(lengths.join(", "), 80)}"` };
    }
    if (new Set(lengths.map(Number)).size > 1) {
      return { framing: { kind: "none" }, problem: `conflicting Content-Length values ${printableText(lengths.join(", "), 80)}` };
    }
    return { framing: { kind: "length", length: Number(lengths[0]) } };
  }
  return { framing: side === "request" ? { kind: "none" } : { kind: "until-close" } };
}
