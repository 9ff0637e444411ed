/**
 * Which HTTP bodies and WebSocket messages carry Engine.IO, and getting their
 * bytes into the shape the Engine.IO layer reads.
 */
import { brotliDecompressSync, gunzipSync, inflateSync, type ZlibOptions } from "node:zlib";
import { decodeEngineBinary, decodeEnginePayload, decodeEngineText, undecodedEngine, type EngineDecoded } from "./engineio.js";
import type { HttpMessageEvent, RequestInfo } from "./http.js";
import { DECODE_LIMIT } from "./limits.js";
import type { WsMessage } from "./websocket.js";
import type { WsInflater } from "./ws-inflate.js";

const utf8 = new TextDecoder("utf-8");

/** The transport an Engine.IO v4 request asks for, or undefined when it is not one. */
export function engineTransport(target: string): string | undefined {
  const q = target.indexOf("?");
  if (q < 0) return undefined;
  const query = new URLSearchParams(target.slice(q + 1));
  if (query.get("EIO") !== "4") return undefined;
  return query.get("transport") ?? "polling";
}

/** Whether an HTTP message is a long-polling body: a POST from the client or a 200 answer to a GET. */
export function isPollingBody(event: HttpMessageEvent, request: RequestInfo | undefined): boolean {
  if (!request || engineTransport(request.target) !== "polling") return false;
  if (event.layer.kind === "http-request") return request.method === "POST";
  return request.method === "GET" && event.layer.status === 200;
}

function inflate(body: Uint8Array, encoding: string | undefined): Uint8Array | string {
  if (!encoding || encoding === "identity") return body;
  // Cap the output: a small compressed body may inflate to gigabytes.
  const options: ZlibOptions = { maxOutputLength: DECODE_LIMIT };
  try {
    if (encoding === "gzip" || encoding === "x-gzip") return gunzipSync(body, options);
    if (encoding === "deflate") return inflateSync(body, options);
    if (encoding === "br") return brotliDecompressSync(body, options);
  } catch (error) {
    return `could not decode Content-Encoding ${encoding}: ${error instanceof Error ? error.message : String(error)}`;
  }
  return `Content-Encoding ${encoding} not supported`;
}

function cutReason(size: number, kept: number): string {
  return kept < size && kept >= DECODE_LIMIT
    ? `not decoded: ${size} bytes, more than the ${DECODE_LIMIT}-byte decode limit`
    : `not decoded: ${size - kept} of ${size} bytes missing`;
}

/** The Engine.IO layer of a long-polling body. */
export function decodePollingBody(event: HttpMessageEvent): EngineDecoded {
  if (!event.bodyComplete) return undecodedEngine(cutReason(event.layer.bodySize, event.body.length));
  const body = inflate(event.body, event.contentEncoding);
  if (typeof body === "string") return undecodedEngine(body);
  return decodeEnginePayload(utf8.decode(body));
}

/** The Engine.IO layer of a whole WebSocket message; `inflater` is its direction's permessage-deflate state, if agreed. */
export function decodeWsMessage(message: WsMessage, inflater?: WsInflater): EngineDecoded {
  if (message.compressed) {
    const plain = inflater ? inflater.inflate(message) : "not decoded: permessage-deflate payloads are not inflated";
    if (typeof plain === "string") return undecodedEngine(plain);
    return message.text ? decodeEngineText(utf8.decode(plain)) : decodeEngineBinary(plain);
  }
  if (!message.complete) return undecodedEngine(cutReason(message.size, message.data.length));
  return message.text ? decodeEngineText(utf8.decode(message.data)) : decodeEngineBinary(message.data);
}
