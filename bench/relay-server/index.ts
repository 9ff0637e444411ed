// The two-server bench's server: socket.io on the Redis adapter (REDIS_URL), as such apps are
// written: two Redis clients connect first, then the server starts on them. On "relay" it
// broadcasts the payload to every client of every server (`io.emit`), so what a client of one
// server sends reaches the clients of the other through Redis. Bare or as the traced entry, it
// listens on 127.0.0.1, port 0, and prints `PORT <n>` once listening.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { createAdapter } from "@socket.io/redis-adapter";
import { createClient } from "redis";
import { Server } from "socket.io";

const pubClient = createClient({ url: process.env.REDIS_URL });
const subClient = pubClient.duplicate();
await Promise.all([pubClient.connect(), subClient.connect()]);

const httpServer = createServer();
const io = new Server(httpServer, { adapter: createAdapter(pubClient, subClient) });

io.on("connection", (socket) => {
  socket.on("relay", (payload: unknown) => {
    io.emit("relayed", payload);
  });
});

httpServer.listen(0, "127.0.0.1", () => {
  console.log(`PORT ${(httpServer.address() as AddressInfo).port}`);
});

// Ended by the harness with SIGTERM (bare) or by the traced process's quit (traced).
process.on("SIGTERM", () => process.exit(0));
