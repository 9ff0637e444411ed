// The rooms lesson's client: three people, each on a connection of their own (WebSocket only, one
// after the other), who join rooms by asking the server; rooms live on the server alone.
import { io } from "socket.io-client";

const url = process.env.CHAT_URL ?? "http://127.0.0.1:3000";

/** A person's socket, its Engine.IO connection open but no namespace joined yet. */
async function open(name) {
  const socket = io(url, { auth: { name }, transports: ["websocket"], forceNew: true, autoConnect: false });
  for (const event of ["news", "shout"]) socket.on(event, (text) => console.log(`${name} got ${event}: ${text}`));
  await new Promise((resolve) => socket.io.open(resolve));
  return socket;
}

async function join(socket) {
  socket.connect();
  await new Promise((resolve) => socket.once("connect", resolve));
  return socket;
}

// One thing at a time on the wire: the first connection, then its namespace, then the others.
const alice = await open("alice");

await join(alice);

const bob = await join(await open("bob"));
const carol = await join(await open("carol"));

console.log(`alice is in ${await alice.emitWithAck("join", "lobby")}`);
console.log(`bob is in ${await bob.emitWithAck("join", "lobby")}`);
console.log(`carol is in ${await carol.emitWithAck("join", "lobby")}`);
console.log(`carol is in ${await carol.emitWithAck("join", "vip")}`);

const heard = Promise.all([alice, carol].map((s) => new Promise((resolve) => s.once("shout", resolve))));
bob.emit("shout", "lobby", "hi all");
await heard;

console.log(`alice is in ${await alice.emitWithAck("leave", "lobby")}`);

// One goodbye at a time: each waits for its WebSocket to close before the next one leaves.
for (const socket of [alice, bob, carol]) {
  const ws = socket.io.engine.transport.ws;
  socket.disconnect();
  await new Promise((resolve) => ws.addEventListener("close", resolve));
}
