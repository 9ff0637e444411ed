// The binary lesson's client: the same upload, a Buffer and a binary nested in an object, sent
// once over HTTP long-polling and once over WebSocket (two clients, one transport each); prints
// what the binary ack brought back, since it runs untraced.
import { io } from "socket.io-client";

const url = process.env.CHAT_URL ?? "http://127.0.0.1:3000";

/** Sends the upload with an ack and prints the answer, its Buffer as hex. */
async function upload(socket, name) {
  const file = Buffer.from("hello, binary");
  const reply = await socket.emitWithAck("upload", file, { name, thumb: Uint8Array.of(0x89, 0x50, 0x4e, 0x47) });
  console.log(`client: ${name} acked, size ${reply.size}, digest ${Buffer.from(reply.digest).toString("hex")}`);
}

const polling = io(url, { transports: ["polling"], autoConnect: false });
await new Promise((resolve) => polling.io.open(resolve));

polling.connect();
await new Promise((resolve) => polling.once("connect", resolve));

await upload(polling, "over-polling.png");

const websocket = io(url, { transports: ["websocket"], autoConnect: false, forceNew: true });
websocket.connect();
await new Promise((resolve) => websocket.once("connect", resolve));

await upload(websocket, "over-websocket.png");

for (const socket of [polling, websocket]) socket.disconnect();
