// The recovery lesson's client: WebSocket only, no automatic reconnection, so that the drop and the
// return are steps of the lesson; prints what it got, since it runs untraced.
import { io } from "socket.io-client";

const url = process.env.CHAT_URL ?? "http://127.0.0.1:3000";

const socket = io(url, { transports: ["websocket"], reconnection: false, autoConnect: false });
const news = [];
socket.on("news", (text) => news.push(text));

/** Resolves once `count` news events have come. */
function received(count) {
  return new Promise((resolve) => {
    const check = () => (news.length >= count ? resolve() : socket.once("news", () => setImmediate(check)));
    check();
  });
}

await new Promise((resolve) => socket.io.open(resolve));

socket.connect();
await new Promise((resolve) => socket.once("connect", resolve));

// The connection drops under the socket (as a network would), not a disconnect() the server is told of.
await received(1);
socket.io.engine.close();

socket.connect();
await new Promise((resolve) => socket.once("connect", resolve));
await received(3);
console.log(`client: recovered ${socket.recovered}, news: ${news.join(" | ")}`);

socket.disconnect();
