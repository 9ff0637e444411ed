// The heartbeat lesson's server: the server pings, the client must answer within pingTimeout, and
// a socket says why it left. Short timers so that the lesson runs in a few seconds; run on its own
// (`node traces/heartbeat/server.mjs`) it is an ordinary server on http://127.0.0.1:3000.
import { createServer } from "node:http";
import { Server } from "socket.io";

const httpServer = createServer();

// A ping every 1.5 s, and 1 s to answer it.
const io = new Server(httpServer, { pingInterval: 1500, pingTimeout: 1000 });

io.on("connection", (socket) => {
  console.log(`server: ${socket.id} connected`);
  // The reason is the point: "ping timeout" when the client went silent, "transport close" when its connection dropped.
  socket.on("disconnect", (reason) => console.log(`server: ${socket.id} disconnected: ${reason}`));
});

httpServer.listen(Number(process.env.PORT ?? 3000), process.env.HOST ?? "127.0.0.1");
