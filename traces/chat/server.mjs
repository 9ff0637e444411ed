// The built-in scenario's server: a small chat, written the way a socket.io user writes one.
// trace-socket runs it one step at a time; run on its own (`node traces/chat/server.mjs`) it is
// an ordinary chat server on http://127.0.0.1:3000.
import { createServer } from "node:http";
import { readFile } from "node:fs/promises";
import { Server } from "socket.io";

const page = new URL("./index.html", import.meta.url);
const httpServer = createServer(async (req, res) => {
  if (req.url === "/" || req.url === "/index.html") {
    res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
    res.end(await readFile(page));
  } else {
    res.writeHead(404).end();
  }
});

const origins = (process.env.CHAT_ORIGINS ?? "http://localhost:3000,http://127.0.0.1:3000").split(",");

// CORS only tells browsers what they may read; it does not stop a cross-site WebSocket.
// allowRequest enforces the same list (plus this page's own origin) for every new session, polling or WebSocket.
const allowRequest = (req, callback) => {
  const origin = req.headers.origin;
  callback(null, origin === undefined || origins.includes(origin) || origin === `http://${req.headers.host}`);
};

const io = new Server(httpServer, { cors: { origin: origins }, allowRequest, pingInterval: 1500, pingTimeout: 3000 });

io.on("connection", (socket) => {
  console.log(`connected: ${socket.id} via ${socket.conn.transport.name}`);
  socket.on("chat message", (text, ack) => {
    io.emit("chat message", text);
    if (typeof ack === "function") ack({ received: true });
  });
  socket.on("disconnect", (reason) => {
    console.log(`disconnected: ${socket.id} (${reason})`);
  });
});

io.use((socket, next) => {
  const { token } = socket.handshake.auth;
  if (token === "let-me-in") next();
  else next(new Error("unauthorized"));
});

httpServer.listen(Number(process.env.PORT ?? 3000), process.env.HOST ?? "127.0.0.1", () => {
  console.log(`chat listening on ${JSON.stringify(httpServer.address())}`);
});
