// The binary lesson's server: a Buffer, or any binary nested in an object, travels as a
// BINARY_EVENT whose JSON holds placeholders, followed by each attachment as a frame of its own.
// Run on its own (`node traces/binary/server.mjs`) it is an ordinary server on http://127.0.0.1:3000.
import { createServer } from "node:http";
import { Server } from "socket.io";

const httpServer = createServer();

// A long pingInterval: no heartbeat crosses the steps of this lesson.
const io = new Server(httpServer, { pingInterval: 60000 });

io.on("connection", (socket) => {
  // The attachments are back in their places by the time the handler runs: two Buffers.
  socket.on("upload", (file, meta, ack) => {
    console.log(`server: ${meta.name}, ${file.length} bytes, thumb ${meta.thumb.toString("hex")} (${socket.conn.transport.name})`);
    // A Buffer in the ack makes it a BINARY_ACK.
    ack({ size: file.length, digest: Buffer.from([file.length, meta.thumb.length]) });
  });
});

httpServer.listen(Number(process.env.PORT ?? 3000), process.env.HOST ?? "127.0.0.1");
