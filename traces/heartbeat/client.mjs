// The heartbeat lesson's client: WebSocket only, no automatic reconnection, so that each
// connection is one the lesson asked for. Between its steps the runner freezes this process, then
// kills it: what a script cannot do to itself.
import { io } from "socket.io-client";

const url = process.env.CHAT_URL ?? "http://127.0.0.1:3000";

const socket = io(url, { transports: ["websocket"], reconnection: false, autoConnect: false });
await new Promise((resolve) => socket.io.open(resolve));

socket.connect();
await new Promise((resolve) => socket.once("connect", resolve));

// Back from the freeze: the server gave up on this session; once this side has seen it closed, connect anew.
if (socket.connected) await new Promise((resolve) => socket.once("disconnect", resolve));
socket.connect();
await new Promise((resolve) => socket.once("connect", resolve));
console.log("client: connected again, a new session");
