// The namespaces lesson's server: the main namespace, /admin with a middleware of its own, and a
// dynamic family of namespaces matched by a regular expression. Run on its own
// (`node traces/namespaces/server.mjs`) it is an ordinary server on http://127.0.0.1:3000.
import { createServer } from "node:http";
import { Server } from "socket.io";

const httpServer = createServer();

// A long pingInterval: no heartbeat crosses the steps of this lesson.
const io = new Server(httpServer, { pingInterval: 60000 });

io.on("connection", (socket) => console.log(`connected to ${socket.nsp.name}`));

const admin = io.of("/admin");

// Runs for /admin only: the main namespace's clients never meet it.
admin.use((socket, next) => {
  if (socket.handshake.auth.token === "admin-token") next();
  else next(new Error("admins only"));
});
admin.on("connection", (socket) => console.log(`connected to ${socket.nsp.name} with token ${socket.handshake.auth.token}`));

const dynamic = io.of(/^\/dyn-\w+$/);
dynamic.on("connection", (socket) => console.log(`connected to ${socket.nsp.name}, made on demand`));

httpServer.listen(Number(process.env.PORT ?? 3000), process.env.HOST ?? "127.0.0.1");
