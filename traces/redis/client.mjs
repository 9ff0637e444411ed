// The redis scenario's clients: the same script runs twice, as client 1 (on server A) and
// client 2 (on server B), CLIENT_NAME telling which; each step is one client's. The last two
// steps are client 1's by hand, long-polling without socket.io-client, to show a request that
// reaches the other server (CHAT_URL_A, CHAT_URL_B: where each server listens).
import { request } from "node:http";
import { io } from "socket.io-client";

const me = process.env.CLIENT_NAME ?? "1";
const socket = io(process.env.CHAT_URL ?? "http://127.0.0.1:3000", { transports: ["websocket"], autoConnect: false });
socket.onAny((event, ...args) => console.log(`client ${me} got ${event}: ${JSON.stringify(args)}`));
let sid;

/**
 * One Engine.IO polling request on a connection of its own (as behind a load balancer): [status, body].
 * It resolves once that connection has closed, not at the response's end, so that the server's
 * teardown of it (socketOnEnd, socketOnClose) belongs to the step that made the request, whatever
 * the machine's load.
 */
const polling = (url, body) => new Promise((resolve, reject) => {
  const target = `${url}/socket.io/?EIO=4&transport=polling${sid ? `&sid=${sid}` : ""}`;
  let answer;
  const req = request(target, { method: body ? "POST" : "GET", agent: false }, (res) => {
    let text = "";
    res.setEncoding("utf8").on("data", (d) => (text += d)).on("end", () => (answer = [res.statusCode, text]));
  });
  req.on("error", reject).on("close", () => (answer ? resolve(answer) : reject(new Error(`${target}: closed before its response`)))).end(body);
});

if (me === "1") await new Promise((resolve) => socket.connect().once("connect", resolve));

if (me === "2") await new Promise((resolve) => socket.connect().once("connect", resolve));

if (me === "1") socket.emit("chat message", "hi from client 1");

if (me === "2") socket.disconnect();

if (me === "1") {
  sid = JSON.parse((await polling(process.env.CHAT_URL_A))[1].slice(1)).sid;
  const [status, body] = await polling(process.env.CHAT_URL_B, "40");
  console.log(`client 1's second request, at server B: ${status} ${body}`);
}

if (me === "1") {
  const [status, body] = await polling(process.env.CHAT_URL_A, "40");
  console.log(`the same request at server A: ${status} ${body}, then ${(await polling(process.env.CHAT_URL_A))[1]}`);
  await polling(process.env.CHAT_URL_A, "1");
}
