// The benchmark's server: a bare socket.io echo. On "echo" it acks the payload back.
// Run on its own (`node bench/echo-server.mjs`) or as the traced entry under trace-socket;
// either way it listens on 127.0.0.1, port 0, and prints `PORT <n>` once listening.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { Server } from "socket.io";

const httpServer = createServer();
const io = new Server(httpServer);

io.on("connection", (socket) => {
  socket.on("echo", (payload: unknown, ack: unknown) => {
    if (typeof ack === "function") ack(payload);
  });
});

httpServer.listen(0, "127.0.0.1", () => {
  console.log(`PORT ${(httpServer.address() as AddressInfo).port}`);
});

// Ended by the harness with SIGTERM (bare) or by the traced process's quit (traced).
process.on("SIGTERM", () => process.exit(0));
