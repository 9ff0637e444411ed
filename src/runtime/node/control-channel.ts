/**
 * The traced process's line to the CLI: its IPC channel, or for a cluster
 * worker a connection to the CLI's hub (`worker-link.ts`), since a worker's
 * IPC channel is its primary's. Either way one shape: where the courier
 * writes, where the CLI's orders arrive, and what keeps the process alive.
 */
import net from "node:net";
import type { Channel } from "./courier.js";
import { frameMessage, frameReader } from "./framed-link.js";
import type { WorkerJoin, WorkerJoined } from "./protocol.js";

/** The traced process's side of its line to the CLI. */
export interface ControlChannel {
  /** Where the courier sends. */
  readonly channel: Channel;
  /** Every message from the CLI. */
  onMessage(listener: (message: unknown) => void): void;
  /** The CLI is gone. */
  onGone(listener: () => void): void;
  /** Keeps the process alive (while a step pause waits for the CLI), or lets it end. */
  ref(): void;
  unref(): void;
}

/** The process's own IPC channel. */
export function processControl(): ControlChannel {
  const handle = (process as unknown as { channel?: { ref(): void; unref(): void } }).channel;
  return {
    channel: process,
    onMessage: (listener) => process.on("message", listener),
    onGone: (listener) => process.on("disconnect", listener),
    ref: () => handle?.ref(),
    unref: () => handle?.unref(),
  };
}

/** A cluster worker's connection to the hub at `path`, once the CLI answered its join. */
export async function hubControl(path: string, worker: string): Promise<{ control: ControlChannel; joined: WorkerJoined }> {
  const socket = net.connect(path);
  const listeners: ((message: unknown) => void)[] = [];
  let answered: ((joined: WorkerJoined) => void) | undefined;
  const joined = new Promise<WorkerJoined>((resolve, reject) => {
    answered = resolve;
    socket.once("error", reject);
    socket.once("close", () => reject(new Error(`trace-socket's hub closed before it answered ${worker}`)));
  });
  socket.on(
    "data",
    frameReader((message) => {
      if (answered) {
        answered(message as WorkerJoined);
        answered = undefined;
      } else for (const listener of listeners) listener(message);
    }),
  );
  const arrival: WorkerJoin = { t: "arrive", worker, pid: process.pid };
  socket.write(frameMessage(arrival));
  const answer = await joined;
  socket.removeAllListeners("error");
  socket.on("error", () => undefined);
  const channel: Channel = {
    get connected() {
      return !socket.destroyed;
    },
    send: (message, _handle, _options, done) => socket.write(frameMessage(message), (error) => done(error ?? null)),
  };
  return {
    joined: answer,
    control: {
      channel,
      onMessage: (listener) => listeners.push(listener),
      onGone: (listener) => socket.on("close", listener),
      ref: () => socket.ref(),
      unref: () => socket.unref(),
    },
  };
}
