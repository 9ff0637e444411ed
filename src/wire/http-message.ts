/**
 * One HTTP message as the parser assembles it: the message in progress, the
 * rules for what follows its head, and the `message` event it becomes. Pure
 * functions of a parsed head and its body bytes, apart from `http.ts`, whose
 * state machine only decides where messages start and end.
 */
import type { CappedBytes, ChunkRef } from "./bytes.js";
import type { Dechunker } from "./http-chunked.js";
import type { HttpMessageEvent, RequestInfo } from "./http-events.js";
import type { BodyFraming, ParsedHead } from "./http-head.js";
import { DISPLAY_LIMIT } from "./limits.js";
import { bytesAsText, printableText } from "./text.js";
import type { HttpRequestLayer, HttpResponseLayer } from "./types.js";

/** Which side of the exchange a direction of a connection carries. */
export type HttpSide = "request" | "response";

/** A message whose head has been read and whose body may still be arriving. */
export interface MessageInProgress {
  readonly head: ParsedHead;
  readonly first: ChunkRef;
  readonly body: CappedBytes;
  readonly request?: RequestInfo;
  size: number;
  remaining: number;
  dechunker?: Dechunker;
}

/**
 * What follows a complete head: the protocol it switches to (a request's
 * `Upgrade`, or a 101's), and how its body is framed; upgrades, 1xx, 204, 304
 * and answers to HEAD have no body whatever their headers say.
 */
export function afterHead(side: HttpSide, head: ParsedHead, request?: RequestInfo): { readonly upgrade?: string; readonly framing: BodyFraming } {
  const upgrade = side === "request" ? head.upgrade : head.status === 101 ? head.upgrade ?? "" : undefined;
  const noBody = upgrade !== undefined
    || (side === "response" && (head.status < 200 || head.status === 204 || head.status === 304 || request?.method === "HEAD"));
  return { upgrade, framing: noBody ? { kind: "none" } : head.framing };
}

function layerOf(side: HttpSide, head: ParsedHead, body: CappedBytes, malformed?: string): HttpRequestLayer | HttpResponseLayer {
  const problem = malformed ?? head.fatal ?? head.flag;
  const common = {
    version: head.version,
    // Display text from the wire: escaped so that it cannot drive the terminal showing it.
    headers: head.headers.map(([name, value]) => [name, printableText(value, DISPLAY_LIMIT)] as const),
    body: bytesAsText(body.bytes(), DISPLAY_LIMIT, body.size, "keep-lines"),
    bodySize: body.size,
    ...(problem ? { malformed: problem } : {}),
  };
  return side === "request"
    ? { kind: "http-request", method: head.method, target: printableText(head.target, DISPLAY_LIMIT), ...common }
    : { kind: "http-response", status: head.status, reason: printableText(head.reason, DISPLAY_LIMIT), ...common };
}

/**
 * The `message` event for `c`, whose last byte arrived in chunk `last`;
 * `malformed` says why its body is not what was sent.
 */
export function messageEvent(side: HttpSide, c: MessageInProgress, last: ChunkRef, malformed?: string): HttpMessageEvent {
  return {
    kind: "message",
    layer: layerOf(side, c.head, c.body, malformed),
    startLine: c.head.startLine,
    body: c.body.bytes(),
    bodyComplete: c.body.complete,
    broken: malformed !== undefined || c.head.fatal !== undefined,
    ...(c.head.contentEncoding ? { contentEncoding: c.head.contentEncoding } : {}),
    ...(c.request ? { request: c.request } : {}),
    first: c.first,
    last,
    size: c.size,
  };
}
