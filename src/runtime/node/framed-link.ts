/**
 * Messages between the CLI and a traced cluster worker, over a Unix socket of
 * their own: a worker's IPC channel belongs to its primary (the cluster module
 * and the adapter speak on it), so the tracer may not use it. Each message is
 * V8-serialized, as on the CLI's own IPC channel, behind a 4-byte length.
 */
import { Buffer } from "node:buffer";
import { deserialize, serialize } from "node:v8";

/** One message framed for the socket. */
export function frameMessage(message: unknown): Buffer {
  const body = serialize(message);
  const head = Buffer.allocUnsafe(4);
  head.writeUInt32BE(body.length, 0);
  return Buffer.concat([head, body]);
}

/**
 * Splits a byte stream into the messages framed by {@link frameMessage}.
 *
 * @example
 * const read = frameReader((m) => console.log(m));
 * socket.on("data", read);
 */
export function frameReader(onMessage: (message: unknown) => void): (bytes: Buffer) => void {
  let held: Buffer = Buffer.alloc(0);
  return (bytes) => {
    held = held.length ? Buffer.concat([held, bytes]) : bytes;
    while (held.length >= 4) {
      const size = held.readUInt32BE(0);
      if (held.length < 4 + size) break;
      const body = held.subarray(4, 4 + size);
      held = held.subarray(4 + size);
      onMessage(deserialize(body));
    }
  };
}
