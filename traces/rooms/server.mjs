// The rooms lesson's server: rooms are a server-side index from room names to socket ids in the
// namespace's adapter; the client never sees a room. Run on its own (`node traces/rooms/server.mjs`)
// it is an ordinary server on http://127.0.0.1:3000.
import { createServer } from "node:http";
import { Server } from "socket.io";

const httpServer = createServer();

// A long pingInterval: no heartbeat crosses the steps of this lesson.
const io = new Server(httpServer, { pingInterval: 60000 });

io.on("connection", (socket) => {
  socket.data.name = socket.handshake.auth.name;
  socket.on("join", (room, ack) => {
    socket.join(room);
    ack([...socket.rooms]);
  });
  socket.on("leave", (room, ack) => {
    socket.leave(room);
    ack([...socket.rooms]);
  });
  // to() on a socket: everyone in the room but this socket.
  socket.on("shout", (room, text) => socket.to(room).emit("shout", `${socket.data.name}: ${text}`));
});

httpServer.listen(Number(process.env.PORT ?? 3000), process.env.HOST ?? "127.0.0.1");

io.to("lobby").emit("news", "hello, lobby");

io.to("lobby").except("vip").emit("news", "not for the vip room");

const inLobby = await io.in("lobby").fetchSockets();
console.log(`in lobby: ${inLobby.map((s) => s.data.name).join(", ")}`);

io.in("vip").socketsJoin("stage");
console.log(`rooms: ${[...io.of("/").adapter.rooms.keys()].filter((r) => !io.of("/").sockets.has(r)).join(", ")}`);

console.log(`rooms after the goodbyes: ${io.of("/").adapter.rooms.size}`);
