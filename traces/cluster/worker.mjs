// The cluster scenario's worker: the primary forks it twice (cluster ids 1 and 2). It never
// listens: @socket.io/sticky's setupWorker takes the connections the primary hands over, and
// @socket.io/cluster-adapter sends what other workers must know over the IPC channel.
import cluster from "node:cluster";
import { createServer } from "node:http";
import { Server } from "socket.io";
import { createAdapter } from "@socket.io/cluster-adapter";
import { setupWorker } from "@socket.io/sticky";

const name = `worker ${cluster.worker.id}`;
const httpServer = createServer();

const io = new Server(httpServer, { adapter: createAdapter() });
setupWorker(io);
io.on("connection", (socket) => {
  console.log(`${name} got socket ${socket.id}`);
  socket.on("chat message", (text) => io.emit("chat message", `${name} relays: ${text}`));
});

if (cluster.worker.id === 1) {
  const sockets = await io.fetchSockets();
  console.log(`fetchSockets on worker 1: ${sockets.length} sockets (${sockets.map((s) => s.id).join(", ")})`);
}
