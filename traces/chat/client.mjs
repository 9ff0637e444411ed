// The built-in scenario's client: connects with the default transports, so it starts with
// HTTP long-polling and upgrades to WebSocket; joins the main namespace once upgraded, sends
// one chat message with an ack, leaves.
import { io } from "socket.io-client";

const url = process.env.CHAT_URL ?? "http://127.0.0.1:3000";

const socket = io(url, { auth: { token: "let-me-in" }, autoConnect: false });
socket.on("chat message", (text) => console.log(`broadcast received: ${text}`));
// Engine.IO first (polling handshake, then the upgrade), the namespace after: one thing at a time on the wire.
socket.io.open();
await new Promise((resolve) => socket.io.engine.once("upgrade", resolve));
socket.connect();
await new Promise((resolve) => socket.once("connect", resolve));

const reply = await socket.emitWithAck("chat message", "hi");
console.log(`ack: ${JSON.stringify(reply)}`);

socket.disconnect();
