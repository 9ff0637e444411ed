// The redis scenario's server: the same program runs twice, as server A and server B
// (SERVER_NAME), each with @socket.io/redis-adapter on one Redis (REDIS_URL). Run on its own
// (`SERVER_NAME=A PORT=3001 node traces/redis/server.mjs`) it is an ordinary server of a
// two-server socket.io app.
import { createServer } from "node:http";
import { Server } from "socket.io";
import { createAdapter } from "@socket.io/redis-adapter";
import { createClient } from "redis";

const name = process.env.SERVER_NAME ?? "A";

const pubClient = createClient({ url: process.env.REDIS_URL ?? "redis://127.0.0.1:6379" });
const subClient = pubClient.duplicate();
await Promise.all([pubClient.connect(), subClient.connect()]);
const httpServer = createServer();
const io = new Server(httpServer, { adapter: createAdapter(pubClient, subClient) });

io.on("connection", (socket) => {
  socket.join(`room-${name}`);
  socket.on("chat message", (text) => io.emit("chat message", `${name} relays: ${text}`));
});
io.on("hello", (from) => console.log(`server ${name} got hello from ${from}`));

httpServer.listen(Number(process.env.PORT ?? 3000), process.env.HOST ?? "127.0.0.1");

if (name === "A") io.to("room-B").emit("news", "for room B only");

if (name === "A") console.log(`fetchSockets on A: ${(await io.fetchSockets()).map((s) => s.id).join(", ")}`);

if (name === "A") io.serverSideEmit("hello", name);
