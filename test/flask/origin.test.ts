/**
 * The CORS fact of FLASK-SOCKETIO.md, checked on the wire: the same polling
 * handshake with an Origin that is not listed gets HTTP 400 from
 * python-engineio but 200 (and a session, only without
 * Access-Control-Allow-Origin) from socket.io's cors middleware; and `'*'`
 * inside a list is a literal string on both sides, not a wildcard.
 * Both chat servers run untraced, as a user runs them.
 */
import { spawn, type ChildProcess } from "node:child_process";
import net from "node:net";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { IdleWatch, watchWork } from "../../src/runtime/progress.js";
import { PACKAGE_ROOT } from "../../src/trace/scenario.js";
import { python, pythonAvailable, skipReason } from "./helpers.js";

const children: ChildProcess[] = [];
afterAll(() => {
  for (const child of children) child.kill("SIGKILL");
});

/** A Flask import under two busy loops can take most of a minute: the test's own limit is not what is tested. */
const SLOW_PYTHON = 180_000;

const HANDSHAKE = "/socket.io/?EIO=4&transport=polling";

interface Reply {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

/** One raw HTTP/1.1 request on its own connection (no client library between us and the server). */
function get(port: number, origin: string): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, "127.0.0.1", () => {
      socket.write(`GET ${HANDSHAKE} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nOrigin: ${origin}\r\nConnection: close\r\n\r\n`);
    });
    let raw = "";
    socket.on("data", (data: Buffer) => (raw += data.toString("latin1")));
    socket.on("error", reject);
    socket.on("close", () => {
      const [head, ...rest] = raw.split("\r\n\r\n");
      const [status, ...lines] = head.split("\r\n");
      const headers: Record<string, string> = {};
      for (const line of lines) headers[line.slice(0, line.indexOf(":")).toLowerCase()] = line.slice(line.indexOf(":") + 1).trim();
      resolve({ status: Number(status.split(" ")[1]), headers, body: rest.join("\r\n\r\n") });
    });
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = net.createServer().listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** Until something listens on `port`: while the server works (a slow import on a loaded machine), for as long as it takes. */
async function waitForPort(port: number, child: ChildProcess, output: () => string): Promise<void> {
  watchWork(child);
  const idle = new IdleWatch({ idleMs: 15_000 });
  while (!idle.expired()) {
    if (child.exitCode !== null) throw new Error(`the server exited: ${output()}`);
    const open = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, "127.0.0.1", () => {
        socket.end();
        resolve(true);
      });
      socket.on("error", () => resolve(false));
    });
    if (open) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`nothing listens on ${port}, ${idle.reason}: ${output()}`);
}

/** `traces/chat-flask/app.py`, untraced, with `CHAT_ORIGINS`. */
async function flaskChat(origins: string): Promise<number> {
  const port = await freePort();
  const child = spawn(python, [join(PACKAGE_ROOT, "traces/chat-flask/app.py")], { env: { ...process.env, PORT: String(port), CHAT_ORIGINS: origins }, stdio: ["ignore", "pipe", "pipe"] });
  children.push(child);
  let output = "";
  child.stdout!.on("data", (d: Buffer) => (output += d));
  child.stderr!.on("data", (d: Buffer) => (output += d));
  await waitForPort(port, child, () => output);
  return port;
}

/**
 * A Node socket.io server, untraced, on PORT=0: the port comes from its `chat listening on {…}` line.
 * By default the cors-only fixture (what most apps write); `traces/chat/server.mjs` also enforces origins with allowRequest.
 */
function nodeChat(origins: string, file = "test/fixtures/apps/cors-only/server.js"): Promise<number> {
  const child = spawn(process.execPath, [join(PACKAGE_ROOT, file)], { env: { ...process.env, PORT: "0", CHAT_ORIGINS: origins }, stdio: ["ignore", "pipe", "pipe"] });
  children.push(child);
  return new Promise((resolve, reject) => {
    let output = "";
    child.stdout!.on("data", (d: Buffer) => {
      output += d;
      const match = /chat listening on (\{.*\})/.exec(output);
      if (match) resolve((JSON.parse(match[1]) as { port: number }).port);
    });
    child.on("exit", (code) => reject(new Error(`the Node chat exited (${code}): ${output}`)));
  });
}

describe("CORS on the Node side (socket.io's cors package)", () => {
  it("answers a non-listed Origin with 200 and a session, without Access-Control-Allow-Origin", async () => {
    const port = await nodeChat("http://localhost:3000");
    const evil = await get(port, "http://evil.example");
    expect(evil.status).toBe(200);
    expect(evil.headers["access-control-allow-origin"]).toBeUndefined();
    expect(evil.body).toMatch(/^0\{"sid":/);
    const listed = await get(port, "http://localhost:3000");
    expect(listed.status).toBe(200);
    expect(listed.headers["access-control-allow-origin"]).toBe("http://localhost:3000");
  });

  it("the chat scenario adds allowRequest, so there a non-listed Origin opening a polling session is refused (403)", async () => {
    const port = await nodeChat("http://localhost:3000", "traces/chat/server.mjs");
    expect((await get(port, "http://evil.example")).status).toBe(403);
    expect((await get(port, "http://localhost:3000")).status).toBe(200);
  });

  it("treats '*' inside a list as a literal origin", async () => {
    const port = await nodeChat("*,http://localhost:3000");
    const evil = await get(port, "http://evil.example");
    expect(evil.status).toBe(200);
    expect(evil.headers["access-control-allow-origin"]).toBeUndefined();
  });
});

describe.skipIf(!pythonAvailable)(`CORS on the Flask side (python-engineio)${skipReason}`, () => {
  it("rejects a non-listed Origin with 400, and accepts a listed one with Access-Control-Allow-Origin", async () => {
    const port = await flaskChat("http://localhost:5000");
    const evil = await get(port, "http://evil.example");
    expect(evil.status).toBe(400);
    expect(evil.body).toContain("Not an accepted origin.");
    const listed = await get(port, "http://localhost:5000");
    expect(listed.status).toBe(200);
    expect(listed.headers["access-control-allow-origin"]).toBe("http://localhost:5000");
    expect(listed.body).toMatch(/^0\{.*"sid"/);
  }, SLOW_PYTHON);

  it("treats '*' inside a list as a literal origin: still 400", async () => {
    const port = await flaskChat("*,http://localhost:5000");
    expect((await get(port, "http://evil.example")).status).toBe(400);
  }, SLOW_PYTHON);
});
