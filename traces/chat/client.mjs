// The built-in scenario's client: connects with the default transports (so it starts with
// HTTP long-polling and upgrades to WebSocket), sends one chat message with an ack, leaves.
import { io } from "socket.io-client";

const url = process.env.CHAT_URL ?? "http://127.0.0.1:3000";

const socket = io(url, { auth: { token: "let-me-in" } });
socket.on("chat message", (text) => console.log(`broadcast received: ${text}`));
await new Promise((resolve) => socket.io.engine.once("upgrade", resolve));

const reply = await socket.emitWithAck("chat message", "hi");
console.log(`ack: ${JSON.stringify(reply)}`);

socket.disconnect();
