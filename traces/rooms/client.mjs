// The rooms lesson's client: three people, each on a connection of their own (WebSocket only, one
// after the other), who join rooms by asking the server; rooms live on the server alone.
import { io } from "socket.io-client";

const url = process.env.CHAT_URL ?? "http://127.0.0.1:3000";

async function person(name) {
  const socket = io(url, { auth: { name }, transports: ["websocket"], forceNew: true });
  for (const event of ["news", "shout"]) socket.on(event, (text) => console.log(`${name} got ${event}: ${text}`));
  await new Promise((resolve) => socket.once("connect", resolve));
  return socket;
}

const alice = await person("alice");
const bob = await person("bob");
const carol = await person("carol");

console.log(`alice is in ${await alice.emitWithAck("join", "lobby")}`);
console.log(`bob is in ${await bob.emitWithAck("join", "lobby")}`);
console.log(`carol is in ${await carol.emitWithAck("join", "lobby")}`);
console.log(`carol is in ${await carol.emitWithAck("join", "vip")}`);

const heard = Promise.all([alice, carol].map((s) => new Promise((resolve) => s.once("shout", resolve))));
bob.emit("shout", "lobby", "hi all");
await heard;

console.log(`alice is in ${await alice.emitWithAck("leave", "lobby")}`);

for (const socket of [alice, bob, carol]) socket.disconnect();
