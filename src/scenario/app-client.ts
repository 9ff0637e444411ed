/**
 * The built-in client used when tracing a user's own app: connects with the
 * chosen namespace, transports and auth, emits each `--emit` with an ack, and
 * leaves — pausing before each action so every action is its own step.
 * Runs inside the client process, which provides the pause.
 */
import { io } from "socket.io-client";
import { Buffer } from "node:buffer";
import { PAUSE_GLOBAL } from "../instrument/step-points.js";
import { ACK_TIMEOUT_MS, type AppClientConfig } from "./app-steps.js";

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

/** What the server answered, from socket.io-client's `connect_error`. */
export function answerOf(error: Error & { description?: unknown; context?: unknown; data?: unknown; type?: string }): string {
  if (error.message === "timeout") return "the server did not answer within 10 s";
  if (error.message === "xhr poll error") {
    const status = typeof error.description === "number" ? error.description : undefined;
    const body = (error.context as { responseText?: unknown } | undefined)?.responseText;
    if (!status) return "the polling request failed (no HTTP answer: connection refused or reset)";
    return `HTTP ${status}${typeof body === "string" && body ? ` ${body.slice(0, 200)}` : ""}`;
  }
  if (error.message === "websocket error") {
    const cause = error.description as { message?: unknown } | undefined;
    return `the WebSocket failed${typeof cause?.message === "string" ? `: ${cause.message}` : ""}`;
  }
  // Anything else is the namespace's CONNECT_ERROR: a middleware's next(err), or "Invalid namespace".
  return `CONNECT_ERROR ${JSON.stringify(error.message)}${error.data !== undefined ? ` ${JSON.stringify(error.data)}` : ""}`;
}

const config = JSON.parse(process.env.TRACE_SOCKET_APP_CLIENT ?? "{}") as AppClientConfig;
const pauseAt = (globalThis as Record<string, unknown>)[PAUSE_GLOBAL] as (step: number) => Promise<void>;
/** Pauses before the client's `k`-th step (0: connect), wherever the run put it. */
const pause = (k: number): Promise<void> => pauseAt(config.stepIndices?.[k] ?? config.firstStep + k);

/** What the server offers, when the attempt asked for something else. */
function hint(): string {
  const { offered, namespace, transports } = config;
  const notes: string[] = [];
  if (!transports.some((t) => offered.transports.includes(t))) notes.push(`the server accepts ${offered.transports.join(", ")} only`);
  if (!offered.namespaces.includes(namespace) && offered.dynamic === 0) notes.push(`its namespaces are ${offered.namespaces.join(", ")}`);
  return notes.length ? ` (${notes.join("; ")})` : "";
}

await pause(0);
const socket = io(`${config.url}${config.namespace === "/" ? "" : config.namespace}`, {
  path: config.path,
  transports: config.transports as ("polling" | "websocket")[],
  auth: config.auth as Record<string, unknown> | undefined,
  extraHeaders: config.headers as Record<string, string> | undefined,
  query: config.query as Record<string, string> | undefined,
  reconnection: false,
  timeout: 10_000,
});
const refusal = await new Promise<string | undefined>((resolve) => {
  socket.once("connect", () => resolve(undefined));
  socket.once("connect_error", (error) => resolve(answerOf(error)));
});
if (refusal !== undefined) {
  // One line for the CLI to end the run with: what was tried, and what came back.
  const tried = `${config.url} (path ${config.path}, transports ${config.transports.join(", ")}, namespace ${config.namespace})`;
  const failure = new Error(`the built-in client could not connect to ${tried}: ${refusal}${hint()}`);
  failure.stack = failure.message;
  throw failure;
}
console.log(`connect: connected as ${socket.id}`);
const engine = socket.io.engine;
if (socket.connected && engine.transport.name === "polling" && config.transports.includes("websocket")) {
  await new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, 3000);
    engine.once("upgrade", () => {
      clearTimeout(timer);
      resolve();
    });
  });
}
for (const [i, emit] of config.emits.entries()) {
  await pause(1 + i);
  if (!socket.connected) {
    console.log(`emit ${emit.event}: skipped, not connected`);
    continue;
  }
  const args = revive(emit.args) as unknown[];
  if (!emit.ack) {
    socket.emit(emit.event, ...args);
    console.log(`emit ${emit.event}: sent, no ack asked`);
    continue;
  }
  const timeout = config.timeoutMs ?? ACK_TIMEOUT_MS;
  try {
    const reply = (await socket.timeout(timeout).emitWithAck(emit.event, ...args)) as unknown;
    console.log(`emit ${emit.event}: ack ${JSON.stringify(reply)}`);
  } catch {
    console.log(`emit ${emit.event}: no ack within ${timeout} ms`);
  }
}
await pause(1 + config.emits.length);
socket.disconnect();
