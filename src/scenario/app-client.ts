/**
 * The built-in client used when tracing a user's own app: connects with the
 * chosen namespace, transports and auth, emits each `--emit` with an ack, and
 * leaves — pausing before each action so every action is its own step.
 * Runs inside the client process, which provides the pause.
 */
import { io } from "socket.io-client";
import { Buffer } from "node:buffer";
import { PAUSE_GLOBAL } from "../instrument/step-points.js";
import type { AppClientOptions } from "./app-steps.js";

/** What the CLI passes in `TRACE_SOCKET_APP_CLIENT`. */
export interface AppClientConfig extends AppClientOptions {
  readonly url: string;
  /** Index of the client's first step in the run. */
  readonly firstStep: number;
}

/** `{"$binary":"<base64>"}` in `--emit` JSON stands for bytes, so binary events can be traced. */
export function revive(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(revive);
  if (value && typeof value === "object") {
    const record = value as Record<string, unknown>;
    if (typeof record.$binary === "string" && Object.keys(record).length === 1) return Buffer.from(record.$binary, "base64");
    return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, revive(v)]));
  }
  return value;
}

const config = JSON.parse(process.env.TRACE_SOCKET_APP_CLIENT ?? "{}") as AppClientConfig;
const pause = (globalThis as Record<string, unknown>)[PAUSE_GLOBAL] as (step: number) => Promise<void>;

await pause(config.firstStep);
const socket = io(`${config.url}${config.namespace === "/" ? "" : config.namespace}`, {
  transports: config.transports as ("polling" | "websocket")[] | undefined,
  auth: config.auth as Record<string, unknown> | undefined,
  reconnection: false,
});
const outcome = await new Promise<string>((resolve) => {
  const timer = setTimeout(() => resolve("no answer within 10 s"), 10_000);
  socket.once("connect", () => {
    clearTimeout(timer);
    resolve(`connected as ${socket.id}`);
  });
  socket.once("connect_error", (error) => {
    clearTimeout(timer);
    resolve(`refused: ${error.message}`);
  });
});
console.log(`connect: ${outcome}`);
const engine = socket.io.engine;
if (socket.connected && engine.transport.name === "polling" && (config.transports ?? ["polling", "websocket"]).includes("websocket")) {
  await new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, 3000);
    engine.once("upgrade", () => {
      clearTimeout(timer);
      resolve();
    });
  });
}
for (const [i, emit] of config.emits.entries()) {
  await pause(config.firstStep + 1 + i);
  if (!socket.connected) {
    console.log(`emit ${emit.event}: skipped, not connected`);
    continue;
  }
  try {
    const reply = (await socket.timeout(3000).emitWithAck(emit.event, ...(revive(emit.args) as unknown[]))) as unknown;
    console.log(`emit ${emit.event}: ack ${JSON.stringify(reply)}`);
  } catch {
    console.log(`emit ${emit.event}: no ack within 3 s`);
  }
}
await pause(config.firstStep + 1 + config.emits.length);
socket.disconnect();
