// The acks lesson's server: an ack is a callback kept by packet id until the other side answers
// with an ACK of the same id, or until a timeout gives up on it. Run on its own
// (`node traces/acks/server.mjs`) it is an ordinary server on http://127.0.0.1:3000.
import { createServer } from "node:http";
import { Server } from "socket.io";

const httpServer = createServer();

// A long pingInterval: no heartbeat crosses the steps of this lesson.
const io = new Server(httpServer, { pingInterval: 60000 });

io.on("connection", (socket) => {
  socket.on("add", (a, b, ack) => ack(a + b));
  // Never calls its ack: the client's timeout decides.
  socket.on("slow", () => console.log("server: got slow, not answering"));
});

httpServer.listen(Number(process.env.PORT ?? 3000), process.env.HOST ?? "127.0.0.1");

const [socket] = io.of("/").sockets.values();
console.log(`server: the client answered ${await socket.timeout(5000).emitWithAck("question", "ready?")}`);

await socket.timeout(300).emitWithAck("ignored").catch((error) => console.log(`server: ${error.message}`));

for (const tick of [1, 2, 3]) socket.volatile.emit("tick", tick);
