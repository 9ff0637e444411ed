// The acks lesson's client: WebSocket only; asks with acks, lets one time out, answers the server's
// question and ignores another; prints what it saw, since it runs untraced.
import { io } from "socket.io-client";

const url = process.env.CHAT_URL ?? "http://127.0.0.1:3000";

const socket = io(url, { transports: ["websocket"], autoConnect: false });
socket.on("question", (text, ack) => ack(`yes to ${text}`));
socket.on("tick", (tick) => console.log(`client: tick ${tick}`));
await new Promise((resolve) => socket.io.open(resolve));

socket.connect();
await new Promise((resolve) => socket.once("connect", resolve));

console.log(`client: 1 + 2 = ${await socket.emitWithAck("add", 1, 2)}`);

await socket.timeout(300).emitWithAck("slow").catch((error) => console.log(`client: ${error.message}`));

socket.disconnect();
