/**
 * Node's IPC channel between a cluster primary and its workers: with the
 * default `json` serialization each message is one line of JSON. Node's own
 * messages carry `cmd` (`NODE_CLUSTER`, `NODE_HANDLE`); the cluster adapter's
 * carry `source: "_sio_adapter"` and are decoded further as adapter messages.
 */
import { clusterAdapterLayer } from "./adapter-payload.js";
import { boundedJson } from "./bounded-json.js";
import { DECODE_LIMIT } from "./limits.js";
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
  const cmd = own(value, "cmd");
  const source = own(value, "source");
  const ipc: IpcLayer = {
    kind: "ipc",
    ...(typeof cmd === "string" ? { cmd: printableText(cmd, 80) } : {}),
    ...(typeof source === "string" ? { source: printableText(source, 80) } : {}),
    text: escapeControls(boundedJson(value)),
  };
  const adapter = clusterAdapterLayer(value);
  return adapter ? [ipc, adapter] : [ipc];
}

/** Splits one direction of an IPC channel into messages; neither method throws. */
export interface IpcStream {
  push(bytes: Uint8Array): IpcEvent[];
  end(): IpcEvent[];
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
