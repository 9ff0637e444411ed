/**
 * Captures what a process sends on a Node IPC channel (a cluster worker's to
 * its primary, the primary's to each worker). Node keeps the channel's pipe
 * handle private, so the bytes are not read off the pipe: each message handed
 * to the channel's `_send` is serialized again here the way Node writes it
 * (`json`: a line of JSON; `advanced`: a 4-byte length and the V8 bytes, a
 * Buffer behind Node's tag), a message sent with a handle inside Node's own
 * `NODE_HANDLE` wrapper. A message Node queues behind a handle not yet
 * acknowledged is captured when it is really sent. What a process receives is
 * captured as it is handed to the `message` listeners, serialized the same way
 * (V8 may write it a little differently from the sender: a received array is
 * sparse), with the calls it starts: the sender's write and this receipt are
 * joined by the message's value (`ipc-links.ts`).
 */
import { Buffer } from "node:buffer";
import net from "node:net";
import { DefaultSerializer } from "node:v8";
import type { Recorder } from "./recorder.js";
import type { TapChannel } from "./socket-tap.js";

type Emit = (event: string | symbol, ...args: unknown[]) => boolean;
type Send = (message: unknown, handle?: unknown, options?: unknown, callback?: unknown) => boolean;

/** Node's tags before a host object in an `advanced` message (lib/internal/child_process/serialization.js). */
const ARRAY_BUFFER_VIEW_TAG = 0;
const NOT_ARRAY_BUFFER_VIEW_TAG = 1;

class IpcSerializer extends DefaultSerializer {
  _writeHostObject(object: unknown): void {
    if (ArrayBuffer.isView(object)) {
      this.writeUint32(ARRAY_BUFFER_VIEW_TAG);
      (DefaultSerializer.prototype as unknown as { _writeHostObject(this: DefaultSerializer, o: unknown): void })._writeHostObject.call(this, object);
      return;
    }
    this.writeUint32(NOT_ARRAY_BUFFER_VIEW_TAG);
    this.writeValue({ ...(object as object) });
  }
}

/** The bytes Node writes for `message` in serialization `mode`. */
export function ipcBytes(message: unknown, mode: string): Uint8Array {
  if (mode !== "advanced") return Buffer.from(`${JSON.stringify(message)}\n`, "utf8");
  const ser = new IpcSerializer();
  ser.writeHeader();
  ser.writeValue(message);
  const body = ser.releaseBuffer();
  const head = Buffer.allocUnsafe(4);
  head.writeUInt32BE(body.length, 0);
  return Buffer.concat([head, body]);
}

/** The message as Node writes it: one sent with a socket inside Node's `NODE_HANDLE` wrapper. */
function onTheWire(message: unknown, handle: unknown): unknown {
  if (!handle) return message;
  const type = handle instanceof net.Socket ? "net.Socket" : handle instanceof net.Server ? "net.Server" : "handle";
  return { cmd: "NODE_HANDLE", type, msg: message };
}

/**
 * Wraps the `_send` and the `emit` of `target` (`process` in a worker, `worker.process` in the
 * primary); `mode` is its serialization.
 */
export function tapIpcSends(target: unknown, mode: string, channel: TapChannel, recorder: Recorder): void {
  if (target === null || typeof target !== "object") return;
  const owner = target as { _send?: Send; emit?: Emit; _handleQueue?: unknown; connected?: boolean };
  const send = owner._send;
  if (typeof send !== "function") return;
  owner._send = function tappedSend(this: unknown, message: unknown, handle?: unknown) {
    // Queued behind a handle not yet acknowledged: it goes out (through here again) later.
    if (owner.connected && !owner._handleQueue) {
      try {
        channel.capture("out", ipcBytes(onTheWire(message, handle), mode), recorder.current());
      } catch {
        // What Node cannot serialize it refuses itself, as untraced.
      }
    }
    return Reflect.apply(send, this, arguments) as boolean;
  } as Send;
  const emit = owner.emit;
  if (typeof emit !== "function") return;
  owner.emit = function tappedEmit(this: unknown, event: string | symbol, message?: unknown, handle?: unknown) {
    if (event !== "message") return Reflect.apply(emit, this, arguments) as boolean;
    let index = -1;
    try {
      // A message that came with a handle came inside NODE_HANDLE: wrapped again, it is the bytes the sender wrote.
      index = channel.capture("in", ipcBytes(onTheWire(message, handle), mode), -1);
    } catch {
      // Node deserialized it, so it serializes; if not, the receipt is simply not captured.
    }
    const before = recorder.nextSeq();
    const result = Reflect.apply(emit, this, arguments) as boolean;
    const after = recorder.nextSeq();
    if (index >= 0 && after > before) channel.setCalls(index, before, after);
    return result;
  } as Emit;
}
