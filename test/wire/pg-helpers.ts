/**
 * PostgreSQL protocol messages built byte by byte for the decoder's tests, as the protocol's
 * "Message Formats" chapter lays them out (big-endian lengths that count themselves).
 */
import { bytes, join } from "./helpers.js";

/** An int32, big-endian. */
export function int32(n: number): Uint8Array {
  const out = new Uint8Array(4);
  new DataView(out.buffer).setInt32(0, n);
  return out;
}

/** An int16, big-endian. */
export function int16(n: number): Uint8Array {
  const out = new Uint8Array(2);
  new DataView(out.buffer).setInt16(0, n);
  return out;
}

/** A NUL-terminated UTF-8 string. */
export function cstr(text: string): Uint8Array {
  return join(new TextEncoder().encode(text), bytes([0]));
}

/** A typed message: its type byte, the length of itself and the body, the body. */
export function pgMsg(code: string, ...body: readonly Uint8Array[]): Uint8Array {
  const content = join(...body);
  return join(bytes(code), int32(content.length + 4), content);
}

/** An untyped start-up message: the length, then the body. */
export function untyped(...body: readonly Uint8Array[]): Uint8Array {
  const content = join(...body);
  return join(int32(content.length + 4), content);
}

/** A StartupMessage (protocol 3.0) with these parameters. */
export function startup(params: Readonly<Record<string, string>>): Uint8Array {
  return untyped(int32(196608), ...Object.entries(params).flatMap(([k, v]) => [cstr(k), cstr(v)]), bytes([0]));
}

/** A Bind of the unnamed statement to the unnamed portal, with text parameters (null: NULL). */
export function bindText(...params: readonly (string | null)[]): Uint8Array {
  const values = params.flatMap((p) => (p === null ? [int32(-1)] : [int32(new TextEncoder().encode(p).length), new TextEncoder().encode(p)]));
  return pgMsg("B", cstr(""), cstr(""), int16(0), int16(params.length), ...values, int16(0));
}

/** A NotificationResponse from backend `pid` on `channel`. */
export function notification(pid: number, channel: string, payload: string): Uint8Array {
  return pgMsg("A", int32(pid), cstr(channel), cstr(payload));
}

/** What `pg` writes for `pool.query("SELECT pg_notify($1, $2)", [channel, payload])`. */
export function pgNotify(channel: string, payload: string): Uint8Array {
  return join(pgMsg("P", cstr(""), cstr("SELECT pg_notify($1, $2)"), int16(0)), bindText(channel, payload), pgMsg("D", bytes("P"), cstr("")), pgMsg("E", cstr(""), int32(0)), pgMsg("S"));
}
