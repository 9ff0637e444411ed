/**
 * `--stable` for the adapters of several servers: the ids they pick at random
 * per run. Each server's adapter has a `uid` (in its response channel
 * `socket.io-response#/#<uid>#`, in every message it publishes, as JSON
 * `"uid":"…"`, msgpack's first element or a V8-serialized IPC message's `uid`), and each fetchSockets /
 * serverSideEmit with an answer has a `requestId`. Each gets a placeholder of
 * the same length (`uid-1-`, `req-1-`), in order of first appearance, like
 * the session ids, so the RESP lengths around them stay right.
 *
 * A fetchSockets reply also carries each remote socket's handshake as JSON:
 * its `sec-websocket-key`, the date it was `issued` (ms) and its `time` as a
 * date string; {@link stableEmbeddedHandshake} fixes those, also keeping lengths.
 */
import { sized } from "./stable-offsets.js";

/** The handshake's WebSocket key in a fetchSockets reply gets the all-zero key, as in the request itself. */
const ZERO_KEY = "AAAAAAAAAAAAAAAAAAAAAA==";
const EPOCH_TIME = "Thu Jan 01 1970 00:00:00";

/**
 * Adds to `ids` every adapter uid and request id found in `streams` (the
 * connections' texts), each with its placeholder.
 *
 * @example
 * addAdapterIds(ids, ['{"uid":"L12sa8","requestId":"cnDIXQ","type":5}']); // L12sa8 → uid-1-, cnDIXQ → req-1-
 */
export function addAdapterIds(ids: Map<string, string>, streams: readonly string[]): void {
  const counts = { uid: 0, req: 0 };
  const add = (id: string, kind: keyof typeof counts): void => {
    if (ids.has(id) || id.length < 4) return;
    ids.set(id, sized(`${kind}-${++counts[kind]}`, id.length));
  };
  for (const text of streams) {
    for (const m of text.matchAll(/socket\.io-response#[^#\r\n]*#([A-Za-z0-9_-]{4,64})#/g)) add(m[1], "uid");
    for (const m of text.matchAll(/"uid":"([A-Za-z0-9_-]{4,64})"/g)) add(m[1], "uid");
    for (const m of text.matchAll(/"requestId":"([A-Za-z0-9_-]{4,64})"/g)) add(m[1], "req");
    // Node's IPC in "advanced" mode (the cluster adapter's): V8 one-byte strings, `"` then the length, then the text.
    for (const m of text.matchAll(/"\x03uid"([\x04-\x40])/g)) v8String(text, m, (id) => add(id, "uid"));
    for (const m of text.matchAll(/"\x09requestId"([\x04-\x40])/g)) v8String(text, m, (id) => add(id, "req"));
  }
}

/** The V8-serialized one-byte string whose length byte ends `match`, when it reads as an id. */
function v8String(text: string, match: RegExpExecArray | RegExpMatchArray, found: (id: string) => void): void {
  const start = (match.index ?? 0) + match[0].length;
  const id = text.slice(start, start + match[1].charCodeAt(0));
  if (/^[A-Za-z0-9_-]+$/.test(id)) found(id);
}

/**
 * `text` (raw bytes as latin1) with the handshake fields a fetchSockets reply
 * embeds made run-independent, every replacement of the same length.
 */
export function stableEmbeddedHandshake(text: string): string {
  return text
    .replace(/("sec-websocket-key":")[A-Za-z0-9+/]{22}==/gi, `$1${ZERO_KEY}`)
    .replace(/("issued":)(\d{10,16})/g, (_, lead: string, ms: string) => lead + "0".repeat(ms.length))
    .replace(/("time":")[A-Z][a-z]{2} [A-Z][a-z]{2} \d{2} \d{4} \d{2}:\d{2}:\d{2}/g, `$1${EPOCH_TIME}`);
}
