// A load-generator process: `clients` socket.io-client sockets (websocket transport) on the
// URL it is given; each keeps `inFlight` echoes outstanding (saturation) or sends one every
// `intervalMs` (paced). Talks to the harness over IPC: "ready" once all sockets are
// connected, then on "go" runs for `durationMs` (and at most `maxMessages`), waits a bounded
// time for outstanding acks, and reports counts and a latency histogram.
import { io } from "socket.io-client";
import type { Socket } from "socket.io-client";
import { LoadWindow } from "../lib/load-window.js";
import { histogram, record } from "../lib/histogram.js";
import { toParent, type LoadConfig } from "../lib/messages.js";

const config = JSON.parse(process.env.BENCH_LOAD ?? "{}") as LoadConfig;
const { url, clients, inFlight = 1, intervalMs = 0, payloadBytes = 64 } = config;
const payload = { text: "x".repeat(payloadBytes) };
const hist = histogram();
let sent = 0;
let acked = 0;
let errors = 0;
let outstanding = 0;
const window = new LoadWindow();

const sockets: Socket[] = [];
for (let i = 0; i < clients; i++) {
  sockets.push(io(url, { transports: ["websocket"], reconnection: false, forceNew: true, timeout: 10_000 }));
}
await Promise.all(
  sockets.map(
    (socket) =>
      new Promise<void>((resolve, reject) => {
        socket.once("connect", () => resolve());
        socket.once("connect_error", reject);
      }),
  ),
);
toParent({ t: "ready" });

function canSend(): boolean {
  return window.canSend(sent);
}

function sendOne(socket: Socket, again: boolean): void {
  sent++;
  outstanding++;
  const started = performance.now();
  socket.timeout(10_000).emit("echo", payload, (err: Error | null) => {
    outstanding--;
    if (err) errors++;
    else {
      acked++;
      record(hist, (performance.now() - started) * 1000);
    }
    if (again && canSend()) sendOne(socket, true);
    else if (outstanding === 0) window.answeredAll();
  });
}

function pace(socket: Socket, offset: number): void {
  const tick = (): void => {
    if (!canSend()) return;
    sendOne(socket, false);
    setTimeout(tick, intervalMs);
  };
  setTimeout(tick, offset);
}

window.listen({
  start: () =>
    sockets.forEach((socket, i) => {
      if (intervalMs > 0) pace(socket, (intervalMs * i) / sockets.length);
      else for (let k = 0; k < inFlight; k++) sendOne(socket, true);
    }),
  outstanding: () => outstanding,
  finish: (elapsedMs) => {
    toParent({ t: "done", sent, acked, errors, lost: outstanding, elapsedMs, hist: Array.from(hist) });
    for (const socket of sockets) socket.disconnect();
  },
});
