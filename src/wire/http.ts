/**
 * Incremental HTTP/1.1 parser for one direction of one connection: heads, bodies
 * (Content-Length, chunked, until close), keep-alive, and the hand-over to
 * WebSocket after an upgrade. Bytes go in as captured; whole messages come out.
 * The events it reports are in `http-events.ts`, what a message becomes in
 * `http-message.ts`; this module is the state machine between them.
 */
import { CappedBytes, type ChunkRef } from "./bytes.js";
import { Dechunker } from "./http-chunked.js";
import type { HttpEvent, RequestInfo } from "./http-events.js";
import { parseHead } from "./http-head.js";
import { HeadScanner } from "./http-head-scanner.js";
import { afterHead, messageEvent, type MessageInProgress } from "./http-message.js";
import { DECODE_LIMIT } from "./limits.js";

export type { HttpEvent, HttpMessageEvent, HttpOpaqueEvent, HttpUpgradeEvent, RequestInfo } from "./http-events.js";

/** Options of `createHttpParser`. */
export interface HttpParserOptions {
  /** Which side of the exchange this direction carries. */
  readonly side: "request" | "response";
  /** For responses: hands out the request each final response answers, in order. */
  readonly takeRequest?: () => RequestInfo | undefined;
  /** For requests: told about each request as soon as its head is complete. */
  readonly onRequestHead?: (request: RequestInfo) => void;
}

/** An incremental parser for one direction; `push` never throws. */
export interface HttpParser {
  /** Parses captured bytes; `missing` counts bytes of the same chunk that were not captured. */
  push(bytes: Uint8Array, ref: ChunkRef, missing?: number): HttpEvent[];
  /** The connection ended: flushes a message still in progress. */
  end(): HttpEvent[];
}

/**
 * Creates an HTTP/1.1 parser for one direction of a connection.
 *
 * @example
 * const parser = createHttpParser({ side: "request" });
 * parser.push(bytes, { seq: 1, time: 0 }); // → [{ kind: "message", layer: { method: "GET", … } }]
 */
export function createHttpParser(options: HttpParserOptions): HttpParser {
  const { side } = options;
  const scanner = new HeadScanner(side);
  let mode: "head" | "body" | "chunked" | "until-close" | "upgraded" | "opaque" = "head";
  let opaqueReason = "";
  let current: MessageInProgress | undefined;
  let out: HttpEvent[] = [];
  let lastRef: ChunkRef | undefined;

  function emit(c: MessageInProgress, last: ChunkRef, malformed?: string): void {
    out.push(messageEvent(side, c, last, malformed));
    current = undefined;
  }

  /** Reports the head scanned so far as a message that could not be read whole. */
  function emitPartial(ref: ChunkRef, reason: string, extra = 0): void {
    const partial = { head: parseHead(scanner.text(), side), first: scanner.first ?? ref, body: new CappedBytes(0), size: scanner.length + extra, remaining: 0 };
    scanner.reset();
    emit(partial, ref, reason);
  }

  function goOpaque(reason: string, bytes: Uint8Array, at: number, ref: ChunkRef, missing: number): void {
    mode = "opaque";
    opaqueReason = reason;
    if (at < bytes.length || missing > 0) {
      out.push({ kind: "opaque", bytes: bytes.subarray(at), size: bytes.length - at + missing, ref, reason });
    }
  }

  /** A head is complete: decides what follows it. */
  function startMessage(ref: ChunkRef): { fatal?: string; upgrade?: string; extensions: string } {
    const head = parseHead(scanner.text(), side);
    const isFinal = side === "response" && (head.status >= 200 || head.status === 101);
    const request = isFinal ? options.takeRequest?.() : undefined;
    const c: MessageInProgress = {
      head,
      first: scanner.first ?? ref,
      body: new CappedBytes(DECODE_LIMIT),
      ...(request ? { request } : {}),
      size: scanner.length,
      remaining: 0,
    };
    scanner.reset();
    current = c;
    if (head.fatal) {
      emit(c, ref);
      return { fatal: head.fatal, extensions: "" };
    }
    if (side === "request") options.onRequestHead?.({ method: head.method, target: head.target });
    const { upgrade, framing } = afterHead(side, head, request);
    if (framing.kind === "length" && framing.length > 0) {
      mode = "body";
      c.remaining = framing.length;
    } else if (framing.kind === "chunked") {
      mode = "chunked";
      c.dechunker = new Dechunker();
    } else if (framing.kind === "until-close") {
      mode = "until-close";
    } else {
      emit(c, ref);
    }
    return upgrade !== undefined ? { upgrade, extensions: head.extensions } : { extensions: "" };
  }

  /** Takes `n` body bytes (`piece`, or uncaptured when absent) for a length or until-close body. */
  function takeBody(c: MessageInProgress, n: number, ref: ChunkRef, piece?: Uint8Array): number {
    const k = mode === "body" ? Math.min(n, c.remaining) : n;
    if (piece) c.body.add(piece.subarray(0, k));
    else c.body.skip(k);
    c.size += k;
    c.remaining -= k;
    if (mode === "body" && c.remaining === 0) {
      emit(c, ref);
      mode = "head";
    }
    return k;
  }

  function push(bytes: Uint8Array, ref: ChunkRef, missing: number): HttpEvent[] {
    out = [];
    let at = 0;
    while (at < bytes.length && mode !== "opaque" && mode !== "upgraded") {
      if (mode === "head") {
        const scan = scanner.scan(bytes, at, ref);
        if (scan.end < 0) break;
        at = scan.end;
        if (scan.fatal) emitPartial(ref, scan.fatal);
        const started = scan.fatal ? { fatal: scan.fatal, extensions: "" } : startMessage(ref);
        if (started.fatal) {
          goOpaque(`after malformed HTTP: ${started.fatal}`, bytes, at, ref, missing);
          return out;
        }
        if (started.upgrade !== undefined) {
          mode = "upgraded";
          out.push({ kind: "upgrade", protocol: started.upgrade, extensions: started.extensions, rest: bytes.subarray(at), missing, ref });
          return out;
        }
        continue;
      }
      const c = current as MessageInProgress;
      if (mode === "body" || mode === "until-close") {
        at += takeBody(c, bytes.length - at, ref, bytes.subarray(at));
        continue;
      }
      const step = (c.dechunker as Dechunker).feed(bytes, at);
      for (const d of step.data) c.body.add(d);
      c.size += step.at - at;
      at = step.at;
      if (step.error) {
        emit(c, ref, step.error);
        goOpaque(`after malformed HTTP: ${step.error}`, bytes, at, ref, missing);
        return out;
      }
      if (step.done) {
        emit(c, ref);
        mode = "head";
      }
    }
    if (mode === "opaque" || mode === "upgraded") {
      const reason = mode === "opaque" ? opaqueReason : "after a protocol switch, bytes belong to the new protocol";
      out.push({ kind: "opaque", bytes, size: bytes.length + missing, ref, reason });
    } else if (missing > 0) {
      skip(missing, ref);
    }
    return out;
  }

  /** Accounts for uncaptured bytes: fine inside a body, framing is lost anywhere else. */
  function skip(n: number, ref: ChunkRef): void {
    const c = current;
    if (c && (mode === "body" || mode === "until-close")) n -= takeBody(c, n, ref);
    else if (c && mode === "chunked") {
      const k = (c.dechunker as Dechunker).skip(n);
      c.body.skip(k);
      c.size += k;
      n -= k;
    }
    if (n === 0) return;
    const reason = `${n} bytes missing from the capture; HTTP framing lost`;
    if (current) {
      current.size += n;
      emit(current, ref, reason);
    } else if (scanner.length > 0) {
      emitPartial(ref, reason, n);
    } else {
      out.push({ kind: "opaque", bytes: new Uint8Array(0), size: n, ref, reason });
    }
    mode = "opaque";
    opaqueReason = `not decoded: ${reason}`;
  }

  function end(): HttpEvent[] {
    out = [];
    const c = current;
    const first = scanner.first;
    if (c && mode === "until-close") emit(c, c.first);
    else if (c && mode === "body") emit(c, c.first, `connection ended after ${c.body.size} of ${c.body.size + c.remaining} body bytes`);
    else if (c && mode === "chunked") emit(c, c.first, "connection ended inside a chunked body");
    else if (mode === "head" && first && scanner.started) emitPartial(first, "connection ended inside an HTTP head");
    else if (mode === "head" && first) {
      // Only blank lines since the last message: still bytes on the wire, so count them.
      out.push({ kind: "opaque", bytes: scanner.bytes(), size: scanner.length, ref: first, reason: "connection ended after blank lines" });
    }
    scanner.reset();
    // Whatever the end flushes last arrived in the final chunk pushed.
    return lastRef ? out.map((e) => (e.kind === "message" ? { ...e, last: lastRef as ChunkRef } : e)) : out;
  }

  return {
    push(bytes, ref, missing = 0) {
      lastRef = ref;
      return push(bytes, ref, missing);
    },
    end,
  };
}
