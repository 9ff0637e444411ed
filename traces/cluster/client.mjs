// The cluster scenario's clients: two sockets on the primary's one port, long-polling only, so
// every request is a new HTTP request the primary may route; each step is one client's.
import { io } from "socket.io-client";

const url = process.env.CHAT_URL ?? "http://127.0.0.1:3000";
const one = io(url, { transports: ["polling"], autoConnect: false });
const two = io(url, { transports: ["polling"], autoConnect: false });
for (const [me, socket] of [["1", one], ["2", two]]) socket.onAny((event, ...args) => console.log(`client ${me} got ${event}: ${JSON.stringify(args)}`));

await new Promise((resolve) => one.connect().once("connect", resolve));

await new Promise((resolve) => two.connect().once("connect", resolve));

one.emit("chat message", "hi from client 1");
