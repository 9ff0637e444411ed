// The namespaces lesson's client: one Manager (one Engine.IO connection, WebSocket only) carries
// several namespaces, each a Socket of its own; a second client knocks on /admin without the token.
import { io, Manager } from "socket.io-client";

const url = process.env.CHAT_URL ?? "http://127.0.0.1:3000";

/** Connects `socket` and says how it went: connected, or the server's CONNECT_ERROR message. */
function outcome(socket) {
  return new Promise((resolve) => {
    socket.once("connect", () => resolve(`${socket.nsp} connected`));
    socket.once("connect_error", (error) => resolve(`${socket.nsp} refused: ${error.message}`));
    socket.connect();
  });
}

const manager = new Manager(url, { transports: ["websocket"], autoConnect: false });
await new Promise((resolve) => manager.open(resolve));

const main = manager.socket("/");
console.log(await outcome(main));

const admin = manager.socket("/admin", { auth: { token: "admin-token" } });
console.log(await outcome(admin));

const intruder = io(`${url}/admin`, { transports: ["websocket"], autoConnect: false, forceNew: true, auth: { token: "guess" } });
console.log(await outcome(intruder));
intruder.io.engine.close();

const room42 = manager.socket("/dyn-42");
console.log(await outcome(room42));

const nowhere = manager.socket("/nowhere");
console.log(await outcome(nowhere));

for (const socket of [main, admin, room42]) socket.disconnect();
