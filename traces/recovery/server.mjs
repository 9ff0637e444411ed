// The recovery lesson's server: with connectionStateRecovery on, the server keeps each event it
// sends under an offset, and a client that comes back soon enough, with its session id (pid) and
// the last offset it saw, gets its socket back with the events it missed. Run on its own
// (`node traces/recovery/server.mjs`) it is an ordinary server on http://127.0.0.1:3000.
import { createServer } from "node:http";
import { Server } from "socket.io";

const httpServer = createServer();

// A long pingInterval: no heartbeat crosses the steps of this lesson.
const io = new Server(httpServer, { pingInterval: 60000, connectionStateRecovery: { maxDisconnectionDuration: 120000 } });

io.on("connection", (socket) => {
  console.log(`server: ${socket.id} connected, recovered: ${socket.recovered}`);
  socket.on("disconnect", (reason) => console.log(`server: ${socket.id} disconnected: ${reason}`));
});

httpServer.listen(Number(process.env.PORT ?? 3000), process.env.HOST ?? "127.0.0.1");

io.emit("news", "before the drop");

io.emit("news", "missed 1");
io.volatile.emit("news", "volatile, never kept");

io.emit("news", "missed 2");
