// The redis scenario's clients: the same script runs twice, as client 1 (on server A) and
// client 2 (on server B), CLIENT_NAME telling which; each step is one client's.
import { io } from "socket.io-client";

const me = process.env.CLIENT_NAME ?? "1";
const socket = io(process.env.CHAT_URL ?? "http://127.0.0.1:3000", { transports: ["websocket"], autoConnect: false });
socket.onAny((event, ...args) => console.log(`client ${me} got ${event}: ${JSON.stringify(args)}`));

if (me === "1") await new Promise((resolve) => socket.connect().once("connect", resolve));

if (me === "2") await new Promise((resolve) => socket.connect().once("connect", resolve));

if (me === "1") socket.emit("chat message", "hi from client 1");

if (me === "2") socket.disconnect();
