// The cluster scenario's clients: two sockets on the primary's one port, long-polling only, so
// every request is a new HTTP request the primary may route; each step is one client's. The
// last step long-polls by hand, each request on a connection of its own, so the primary must
// route the second by its sid.
import { request } from "node:http";
import { io } from "socket.io-client";

const url = process.env.CHAT_URL ?? "http://127.0.0.1:3000";
const one = io(url, { transports: ["polling"], autoConnect: false });
const two = io(url, { transports: ["polling"], autoConnect: false });
for (const [me, socket] of [["1", one], ["2", two]]) socket.onAny((event, ...args) => console.log(`client ${me} got ${event}: ${JSON.stringify(args)}`));
let sid;

/** One Engine.IO polling request at the primary, on a connection of its own (no keep-alive): [status, body]. */
const polling = (body) => new Promise((resolve, reject) => {
  const req = request(`${url}/socket.io/?EIO=4&transport=polling${sid ? `&sid=${sid}` : ""}`, { method: body ? "POST" : "GET", agent: false }, (res) => {
    let text = "";
    res.setEncoding("utf8").on("data", (d) => (text += d)).on("end", () => resolve([res.statusCode, text]));
  });
  req.on("error", reject).end(body);
});

await new Promise((resolve) => one.connect().once("connect", resolve));

await new Promise((resolve) => two.connect().once("connect", resolve));

one.emit("chat message", "hi from client 1");

{
  sid = JSON.parse((await polling())[1].slice(1)).sid;
  const [status, body] = await polling("40");
  console.log(`the second request, through the primary: ${status} ${body}, then ${(await polling())[1]}`);
  await polling("1");
}
