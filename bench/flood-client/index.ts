// A flood process for bench/flood.js: `clients` socket.io-client sockets on the chat
// scenario's server (WebSocket transport, the scenario's token), each emitting
// "chat message" as fast as its transport takes them: a socket emits whenever its
// Engine.IO write buffer is nearly empty, so the client never buffers without bound.
// (ws sends without waiting for the socket, so its bufferedAmount is watched too.)
// Talks to the harness over IPC: "ready" once connected, then on "go" floods for
// `durationMs` (at most `maxMessages` in all) and reports what it sent and received.
import { io } from "socket.io-client";

const { url, clients, payloadBytes = 64 } = JSON.parse(process.env.FLOOD_CLIENT ?? "{}") as { url: string; clients: number; payloadBytes?: number };
const text = "x".repeat(payloadBytes);
const counts = { sent: 0, received: 0, receivedBytes: 0, disconnects: 0 };
// Every broadcast is the server's frame for `42["chat message","<text>"]`: a 2-byte header
// (or 4 past 125 bytes) and that payload. Counted to check the trace against.
const payload = Buffer.byteLength(`42${JSON.stringify(["chat message", text])}`);
const frameBytes = payload + (payload < 126 ? 2 : 4);

const sockets = Array.from({ length: clients }, () =>
  io(url, { transports: ["websocket"], reconnection: false, forceNew: true, timeout: 10_000, auth: { token: "let-me-in" } }));
try {
  await Promise.all(sockets.map((socket) => new Promise<void>((resolve, reject) => {
    socket.once("connect", () => resolve());
    socket.once("connect_error", reject);
  })));
} catch (error) {
  process.send?.({ t: "error", message: String((error as Error)?.message ?? error) });
  process.exit(1);
}
for (const socket of sockets) {
  socket.on("chat message", () => {
    counts.received++;
    counts.receivedBytes += frameBytes;
  });
  socket.on("disconnect", () => counts.disconnects++);
}
process.send?.({ t: "ready" });

process.on("message", async (message: { t?: string; durationMs: number; maxMessages: number } | undefined) => {
  if (message?.t !== "go") return;
  const deadline = performance.now() + message.durationMs;
  const running = (): boolean => performance.now() < deadline && counts.sent < message.maxMessages;
  await new Promise<void>((resolve) => {
    const tick = (): void => {
      if (!running()) return resolve();
      let emitted = 0;
      for (const socket of sockets) {
        if (!socket.connected) continue;
        const engine = socket.io.engine;
        // ws is the transport's own socket, not in its public type.
        const transport = engine.transport as unknown as { ws?: { bufferedAmount: number } } | undefined;
        const buffered = (): boolean => engine.writeBuffer.length > 16 || (transport?.ws?.bufferedAmount ?? 0) > 64 * 1024;
        for (let i = 0; i < 8 && !buffered() && running(); i++) {
          socket.emit("chat message", text);
          counts.sent++;
          emitted++;
        }
      }
      // All sockets buffered: give the CPU to the server instead of spinning.
      if (emitted > 0) setImmediate(tick);
      else setTimeout(tick, 2);
    };
    tick();
  });
  process.send?.({ t: "done", ...counts });
  for (const socket of sockets) socket.disconnect();
  setTimeout(() => process.exit(0), 200).unref();
});
