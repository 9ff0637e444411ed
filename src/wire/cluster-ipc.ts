/**
 * Node's IPC channel between a cluster primary and its workers: with the
 * default `json` serialization each message is one line of JSON; with
 * `advanced` (which @socket.io/sticky needs, to hand over a Buffer) each is a
 * 4-byte big-endian length and the V8 serialization of the message, an
 * ArrayBufferView behind a tag of Node's own. Node's own messages carry `cmd`
 * (`NODE_CLUSTER`, `NODE_HANDLE`); the cluster adapter's carry
 * `source: "_sio_adapter"` and are decoded further as adapter messages.
 */
import { DefaultDeserializer } from "node:v8";
import { clusterAdapterLayer } from "./adapter-payload.js";
import { boundedJson } from "./bounded-json.js";
import { DECODE_LIMIT } from "./limits.js";
import { digestOf } from "./redis.js";
import { escapeControls, printableText } from "./text.js";
import type { IpcLayer, Layer } from "./types.js";

/** One IPC message decoded: its layers, and its bytes counted. */
export interface IpcEvent {
  readonly layers: readonly Layer[];
  readonly size: number;
  readonly raw: string;
  readonly malformed?: string;
}

function own(value: unknown, key: string): unknown {
  if (value === null || typeof value !== "object") return undefined;
  return Object.getOwnPropertyDescriptor(value, key)?.value;
}

/**
 * The layers of one IPC message given as its JSON text. Never throws.
 *
 * @example
 * decodeIpcMessage('{"source":"_sio_adapter","type":2,"uid":"u1","nsp":"/"}');
 * // [{ kind: "ipc", source: "_sio_adapter", … }, { kind: "adapter", adapter: "cluster", typeName: "HEARTBEAT", … }]
 */
export function decodeIpcMessage(text: string): Layer[] {
  let value: unknown;
  try {
    value = JSON.parse(text) as unknown;
  } catch (e) {
    return [{ kind: "ipc", text: printableText(text, 300), malformed: `not JSON: ${e instanceof Error ? e.message : String(e)}` }];
  }
  return ipcLayers(value);
}

/**
 * A digest of the message's value as JSON, not of its bytes: the sender's write and the receiver's
 * copy (serialized again at its end) must agree, and V8 writes a received array as sparse where the
 * sender's was dense. Undefined for a value JSON cannot hold (a cycle).
 */
function valueDigest(value: unknown): string | undefined {
  try {
    const text = JSON.stringify(value, (_key, v: unknown) => (typeof v === "bigint" ? `${v}n` : v));
    return text === undefined ? undefined : digestOf(new TextEncoder().encode(text));
  } catch {
    return undefined;
  }
}

/** The layers of one IPC message, decoded already (from JSON or V8). */
function ipcLayers(value: unknown): Layer[] {
  const digest = valueDigest(value);
  const cmd = own(value, "cmd");
  const source = own(value, "source");
  const ipc: IpcLayer = {
    kind: "ipc",
    ...(typeof cmd === "string" ? { cmd: printableText(cmd, 80) } : {}),
    ...(typeof source === "string" ? { source: printableText(source, 80) } : {}),
    text: escapeControls(boundedJson(value)),
    ...(digest !== undefined ? { digest } : {}),
  };
  const adapter = clusterAdapterLayer(value);
  return adapter ? [ipc, adapter] : [ipc];
}

/** Splits one direction of an IPC channel into messages; neither method throws. */
export interface IpcStream {
  push(bytes: Uint8Array): IpcEvent[];
  end(): IpcEvent[];
  /** Bytes held of a message not yet complete. */
  readonly pending: number;
}

/** Creates the line splitter of one IPC direction. */
export function createIpcStream(): IpcStream {
  const decoder = new TextDecoder("utf-8");
  let held = "";
  let heldBytes = 0;
  /** Past an over-long message: its remaining bytes up to the line end are counted, not kept. */
  let skipping = false;
  const event = (line: string, size: number): IpcEvent => {
    const layers = decodeIpcMessage(line);
    const malformed = layers[0]?.malformed;
    return { layers, size, raw: printableText(line, 160), ...(malformed ? { malformed } : {}) };
  };
  return {
    get pending() {
      return heldBytes;
    },
    push(bytes) {
      const out: IpcEvent[] = [];
      let start = 0;
      for (let i = 0; i < bytes.length; i++) {
        if (bytes[i] !== 0x0a) continue;
        const piece = bytes.subarray(start, i);
        if (skipping) {
          out.push({ layers: [], size: piece.length + 1, raw: "", malformed: "the rest of an IPC message over the decode limit" });
          skipping = false;
        } else out.push(event(held + decoder.decode(piece), heldBytes + piece.length + 1));
        held = "";
        heldBytes = 0;
        start = i + 1;
      }
      const rest = bytes.subarray(start);
      if (skipping) return out;
      heldBytes += rest.length;
      if (heldBytes > DECODE_LIMIT) {
        out.push({ layers: [], size: heldBytes, raw: printableText(held, 160), malformed: "an IPC message over the decode limit" });
        held = "";
        heldBytes = 0;
        skipping = true;
      } else held += decoder.decode(rest, { stream: true });
      return out;
    },
    end() {
      if (heldBytes === 0) return [];
      const line = held;
      const size = heldBytes;
      held = "";
      heldBytes = 0;
      return [{ ...event(line, size), malformed: "the channel closed inside a message" }];
    },
  };
}

/** Node's tags before a host object in an `advanced` IPC message (lib/internal/child_process/serialization.js). */
const ARRAY_BUFFER_VIEW_TAG = 0;

const readView = (DefaultDeserializer.prototype as unknown as { _readHostObject(this: DefaultDeserializer): unknown })._readHostObject;

/** Reads what Node's ChildProcessSerializer wrote: a Buffer or typed array behind its tag, anything else as a plain object. */
class IpcDeserializer extends DefaultDeserializer {
  _readHostObject(): unknown {
    const tag = this.readUint32();
    if (tag === ARRAY_BUFFER_VIEW_TAG) return readView.call(this);
    return this.readValue();
  }
}

/**
 * The layers of one `advanced` IPC message's V8 bytes (without the length). Never throws.
 *
 * @example
 * decodeV8IpcMessage(v8.serialize({ source: "_sio_adapter", type: 2, uid: "u1", nsp: "/" }));
 * // [{ kind: "ipc", source: "_sio_adapter", … }, { kind: "adapter", typeName: "HEARTBEAT", … }]
 */
export function decodeV8IpcMessage(bytes: Uint8Array): Layer[] {
  let value: unknown;
  try {
    const reader = new IpcDeserializer(bytes);
    reader.readHeader();
    value = reader.readValue();
  } catch (e) {
    return [{ kind: "ipc", text: printableText(new TextDecoder().decode(bytes.subarray(0, 300)), 300), malformed: `not a V8-serialized message: ${e instanceof Error ? e.message : String(e)}` }];
  }
  return ipcLayers(value);
}

/** Creates the splitter of one IPC direction in the `advanced` serialization: each message a 4-byte length, then its bytes. */
export function createV8IpcStream(): IpcStream {
  let held = new Uint8Array(0);
  /** Bytes of an over-long message still to pass, and those passed so far: counted, not kept. */
  let skipping = 0;
  let skipped = 0;
  const event = (body: Uint8Array): IpcEvent => {
    const layers = decodeV8IpcMessage(body);
    const malformed = layers[0]?.malformed;
    return { layers, size: body.length + 4, raw: layers[0]?.kind === "ipc" ? printableText(layers[0].text, 160) : "", ...(malformed ? { malformed } : {}) };
  };
  return {
    get pending() {
      return held.length + skipping;
    },
    push(bytes) {
      const out: IpcEvent[] = [];
      let rest = bytes;
      if (skipping > 0) {
        const n = Math.min(skipping, rest.length);
        skipping -= n;
        skipped += n;
        rest = rest.subarray(n);
        if (skipping > 0) return out;
        out.push({ layers: [], size: skipped, raw: "", malformed: "the rest of an IPC message over the decode limit" });
        skipped = 0;
      }
      const all = new Uint8Array(held.length + rest.length);
      all.set(held);
      all.set(rest, held.length);
      let at = 0;
      while (all.length - at >= 4) {
        const size = ((all[at] << 24) >>> 0) + (all[at + 1] << 16) + (all[at + 2] << 8) + all[at + 3];
        if (size > DECODE_LIMIT) {
          const here = Math.min(size, all.length - at - 4);
          skipping = size - here;
          out.push({ layers: [], size: here + 4, raw: "", malformed: "an IPC message over the decode limit" });
          at += 4 + here;
          if (skipping > 0) break;
          continue;
        }
        if (all.length - at - 4 < size) break;
        out.push(event(all.subarray(at + 4, at + 4 + size)));
        at += 4 + size;
      }
      held = all.slice(at);
      return out;
    },
    end() {
      if (skipped > 0) {
        const size = skipped;
        skipped = 0;
        skipping = 0;
        return [{ layers: [], size, raw: "", malformed: "the channel closed inside an IPC message over the decode limit" }];
      }
      if (held.length === 0) return [];
      const size = held.length;
      held = new Uint8Array(0);
      return [{ layers: [], size, raw: "", malformed: "the channel closed inside a message" }];
    },
  };
}
