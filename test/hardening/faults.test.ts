/**
 * Faults: the traced process dying under the runner, clients dying halfway
 * through what they send, the traced app crashing on hostile input exactly as it
 * does untraced, and closing while the traced server is still busy.
 */
import { fork } from "node:child_process";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { layerSummary, renderText } from "../../src/export/text.js";
import { Runner } from "../../src/scenario/runner.js";
import { nodeRuntime } from "../../src/runtime/node/node-runtime.js";
import { loadScenario, PACKAGE_ROOT } from "../../src/trace/scenario.js";
import { decodeChunks } from "../../src/wire/index.js";
import { startPlainChat, startTracedChat, type PlainChat, type TracedChat } from "../helpers/chat-servers.js";
import {
  RawConnection, enginePath, frame, handshakeWorks, openPollingSession, openWsSession, upgradeRequest,
} from "../helpers/raw-clients.js";

function startRunner(): Promise<Runner> {
  return Runner.start({ scenario: loadScenario("chat"), projectRoot: PACKAGE_ROOT, command: "faults test", runtime: nodeRuntime({ host: "127.0.0.1", port: 0 }) });
}

/** Whether a process with this pid still exists. */
function alive(pid: number | undefined): boolean {
  if (pid === undefined) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Kills the traced server with SIGKILL and waits until the runner has seen it go. */
async function killTraced(runner: Runner): Promise<number> {
  const pid = runner.server.pid as number;
  process.kill(pid, "SIGKILL");
  await runner.server.exited;
  return pid;
}

describe("the traced process is killed (kill -9)", () => {
  it("between server steps: the next step rejects clearly, the steps so far remain, nothing is left running", async () => {
    const runner = await startRunner();
    try {
      await runner.runNext();
      await runner.runNext();
      const pid = await killTraced(runner);
      const started = Date.now();
      await expect(runner.runNext()).rejects.toThrow(/exited.*SIGKILL|SIGKILL.*exited/);
      expect(Date.now() - started, "rejects at once, not after a timeout").toBeLessThan(2000);
      expect(runner.failure).toMatch(/SIGKILL/);
      const trace = runner.trace();
      expect(trace.steps.map((s) => s.id)).toEqual(["init", "handlers"]);
      expect(trace.steps[0].calls.length).toBeGreaterThan(0);
      expect(() => renderText(trace)).not.toThrow();
      await runner.close();
      expect(alive(pid)).toBe(false);
    } finally {
      await runner.close();
    }
  });

  it("while the built-in client is connected: the client step rejects, and close leaves no child behind", async () => {
    const runner = await startRunner();
    try {
      for (let i = 0; i < 5; i++) await runner.runNext();
      const clientPid = (runner as unknown as { client: { pid?: number } }).client.pid;
      expect(alive(clientPid), "the built-in client runs").toBe(true);
      const pid = await killTraced(runner);
      await expect(runner.runNext()).rejects.toThrow(/SIGKILL/);
      const trace = runner.trace();
      expect(trace.steps.map((s) => s.id)).toEqual(["init", "handlers", "middleware", "run", "connect"]);
      // The connect step's frames were reported before the kill.
      expect(decodeChunks(trace.chunks).some((m) => m.raw.startsWith("HTTP/1.1 101"))).toBe(true);
      await runner.close();
      expect(alive(pid)).toBe(false);
      expect(alive(clientPid), "the built-in client is gone after close").toBe(false);
    } finally {
      await runner.close();
    }
  });

  it("in the middle of a step: the step rejects instead of waiting for its timeout", async () => {
    const runner = await startRunner();
    try {
      for (let i = 0; i < 4; i++) await runner.runNext();
      const step = runner.runNext(); // connect: the client starts and handshakes
      // Kill once the step has begun (its marker is in), while the client works on it.
      const begun = Date.now() + 5000;
      while (runner.runs.length < 5 && Date.now() < begun) await new Promise((resolve) => setTimeout(resolve, 5));
      expect(runner.runs.length, "the connect step began").toBe(5);
      const started = Date.now();
      await killTraced(runner);
      const error = await step.then(() => undefined, (e: unknown) => e as Error);
      expect(error, "the step rejects").toBeInstanceOf(Error);
      expect(Date.now() - started, `rejected with "${error?.message}"`).toBeLessThan(5000);
      expect(error?.message).toMatch(/traced (app|server).*(exited|SIGKILL)/);
      expect(runner.trace().steps.length).toBe(5);
    } finally {
      await runner.close();
    }
  });
});

describe("the CLI itself is killed (kill -9)", () => {
  // The traced server's IPC channel is its lifeline: with the CLI gone nobody can step,
  // read or stop it, and it still listens. Fails while traced-process.ts ignores the
  // channel's "disconnect".
  it("leaves no traced server behind", async () => {
    const host = fork(join(PACKAGE_ROOT, "test/hardening/fixtures/runner-host.mjs"), [], { stdio: ["ignore", "ignore", "inherit", "ipc"], execArgv: [] });
    const ready = await new Promise<{ tracedPid: number }>((resolve, reject) => {
      host.once("message", (m) => resolve(m as { tracedPid: number }));
      host.once("exit", (code) => reject(new Error(`the runner host exited (${code})`)));
    });
    expect(alive(ready.tracedPid)).toBe(true);
    host.kill("SIGKILL");
    const deadline = Date.now() + 5000;
    while (alive(ready.tracedPid) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
    const orphaned = alive(ready.tracedPid);
    // Clean up after ourselves whatever the outcome: the orphan is ours.
    if (orphaned) process.kill(ready.tracedPid, "SIGKILL");
    expect(orphaned, "the traced server outlived the CLI").toBe(false);
  });
});

interface HalfCase {
  readonly name: string;
  /** Sends part of something on `port`, then the test drops the connection. */
  readonly send: (port: number) => Promise<RawConnection>;
  /** What the capture must say about the cut message. */
  readonly trace: RegExp;
}

async function sendRaw(port: number, bytes: Uint8Array | string): Promise<RawConnection> {
  const connection = await RawConnection.open(port);
  await connection.write(bytes);
  return connection;
}

const HALF_CASES: readonly HalfCase[] = [
  {
    name: "half a request line",
    send: (port) => sendRaw(port, "GET /socket.io/?EIO=4&transport=pol"),
    trace: /connection ended inside an HTTP head/,
  },
  {
    name: "a request head without its blank line",
    send: (port) => sendRaw(port, `GET ${enginePath("EIO=4&transport=polling")} HTTP/1.1\r\nHost: 127.0.0.1\r\n`),
    trace: /connection ended inside an HTTP head/,
  },
  {
    name: "half an upgrade request",
    send: (port) => sendRaw(port, upgradeRequest(enginePath("EIO=4&transport=websocket")).subarray(0, 90)),
    trace: /connection ended inside an HTTP head/,
  },
  {
    name: "a polling POST with 10 of its 100 body bytes",
    send: async (port) => {
      const sid = await openPollingSession(port);
      const head = `POST ${enginePath(`EIO=4&transport=polling&sid=${sid}`)} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: text/plain;charset=UTF-8\r\nContent-Length: 100\r\n\r\n`;
      return sendRaw(port, `${head}42["chat m`);
    },
    trace: /connection ended after 10 of 100 body bytes/,
  },
  {
    name: "one byte of a WebSocket frame header",
    send: async (port) => {
      const { connection } = await openWsSession(port);
      await connection.write(Buffer.from([0x81]));
      return connection;
    },
    trace: /connection ended inside a frame header/,
  },
  {
    name: "a WebSocket frame with 10 of its 100 payload bytes",
    send: async (port) => {
      const { connection } = await openWsSession(port);
      await connection.write(frame("x".repeat(100)).subarray(0, 6 + 10));
      return connection;
    },
    trace: /connection ended after 10 of 100 payload bytes/,
  },
];

describe("a client dies halfway through what it sends", () => {
  let traced: TracedChat;
  let plain: PlainChat;
  beforeAll(async () => {
    [traced, plain] = await Promise.all([startTracedChat(), startPlainChat()]);
  }, 60_000);
  afterAll(async () => {
    await Promise.all([traced?.close(), plain?.close()]);
  });

  it.each(HALF_CASES.map((c) => [c.name, c] as const))("%s: both servers carry on, the trace shows the cut", async (_name, c) => {
    const [t, p] = await Promise.all([c.send(traced.port), c.send(plain.port)]);
    // Give the servers the bytes before the connections vanish.
    await new Promise((resolve) => setTimeout(resolve, 150));
    t.destroy();
    p.destroy();
    const [tracedAlive, plainAlive] = await Promise.all([handshakeWorks(traced.port), handshakeWorks(plain.port)]);
    expect(plainAlive.ok, plainAlive.text).toBe(true);
    expect(tracedAlive.ok, tracedAlive.text).toBe(true);

    const { runner } = traced;
    const deadline = Date.now() + 5000;
    // The latest connection from this port: the OS may have used the port before in this run.
    const connection = () => [...runner.collector.connections.values()].filter((x) => x.remote.endsWith(`:${t.localPort}`)).pop();
    while (connection()?.closed === undefined && Date.now() < deadline) {
      runner.flush();
      await new Promise((resolve) => setTimeout(resolve, 30));
    }
    const conn = connection();
    expect(conn?.closed, "the traced server saw the connection close").toBeDefined();
    const messages = decodeChunks(runner.trace().chunks.filter((chunk) => chunk.conn === conn?.id));
    const said = messages.filter((m) => m.dir === "in").flatMap((m) => [m.malformed ?? "", ...m.layers.map(layerSummary)]);
    expect(said).toEqual(expect.arrayContaining([expect.stringMatching(c.trace)]));
  });
});

describe("the traced app crashes on hostile input", () => {
  // The chat handler re-emits what it gets; socket.io-parser's recursive hasBinary runs out
  // of stack on deep data (about 4,100 levels either way, measured in transparency.test.ts).
  const DEEP = `42["chat message",${"[".repeat(20_000)}${"]".repeat(20_000)}]`;

  it("dies the same way as untraced, and the runner says why", async () => {
    const [runner, plain] = await Promise.all([startRunner(), startPlainChat()]);
    try {
      for (let i = 0; i < 4; i++) await runner.runNext();
      const port = Number(new URL(runner.collector.address as string).port);
      const plainExit = new Promise<number | null>((resolve) => plain.process.once("exit", (code) => resolve(code)));
      for (const target of [port, plain.port]) {
        const { connection } = await openWsSession(target);
        await connection.write(frame(DEEP));
      }
      const [tracedExit, plainCode] = await Promise.all([runner.server.exited, plainExit]);
      expect(plainCode).toBe(1);
      expect(plain.output.join("\n")).toContain("RangeError: Maximum call stack size exceeded");
      expect(tracedExit).toEqual({ code: 1, signal: null });
      expect(runner.failure).toContain("Maximum call stack size exceeded");
      await expect(runner.runNext()).rejects.toThrow();
      const trace = runner.trace();
      const deep = decodeChunks(trace.chunks).find((m) => m.dir === "in" && m.raw.startsWith('42["chat message",[[['));
      expect(deep?.layers.map(layerSummary)).toEqual(expect.arrayContaining([expect.stringMatching(/^Socket\.IO EVENT, nsp \/ \["chat message",\[\[/)]));
      expect(() => renderText(trace)).not.toThrow();
    } finally {
      await Promise.all([runner.close(), plain.close()]);
    }
  });
});

describe("closing while the traced server works off a burst", () => {
  // 20,000 chat messages in one write: the server broadcasts each back while the runner
  // closes. Whatever it wrote to the client, the trace must hold or count as dropped —
  // or, when the server was too busy to stop and had to be killed, say that its end is
  // missing. Fails while the traced process exits on "quit" with IPC messages still
  // queued (process.exit discards them), or is SIGKILLed after 2 s without a word.
  it("loses nothing silently", async () => {
    const traced = await startTracedChat();
    let received: number;
    let port: number | undefined;
    let conn: number | undefined;
    try {
      const { connection } = await openWsSession(traced.port);
      const one = frame('42["chat message","x"]');
      await connection.write(Buffer.concat(Array.from({ length: 20_000 }, () => one)));
      const start = connection.offset;
      await connection.until((b) => b.length > 20_000, start, 20_000);
      // The connection's open event travels with the traced process's next batch: ask for it, so the
      // close below usually finds it known. A server busy with the burst on a loaded machine may not
      // answer in time; the close goes ahead then, and the trace is read for it afterwards.
      port = connection.localPort;
      const known = (): number | undefined => [...traced.runner.collector.connections.values()].filter((c) => c.remote.endsWith(`:${connection.localPort}`)).pop()?.id;
      for (const until = Date.now() + 10_000; Date.now() < until && known() === undefined; ) {
        traced.runner.flush();
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      await traced.close();
      conn = known();
      received = connection.offset;
      connection.destroy();
    } finally {
      await traced.close();
    }
    const exit = await traced.runner.server.exited;
    const trace = traced.runner.trace();
    const written = conn === undefined ? 0 : trace.chunks.filter((c) => c.conn === conn && c.dir === "out").reduce((n, c) => n + c.size, 0);
    const saysCut = trace.logs.some((l) => /killed|missing from (this|the) trace|incomplete/i.test(l.text));
    // A connection the trace never heard of is lost, unless the server was killed and the trace says it is cut.
    expect(conn !== undefined || (exit.signal === "SIGKILL" && saysCut), `the trace has no connection from port ${port}; exit ${JSON.stringify(exit)}`).toBe(true);
    const accounted = written + trace.dropped.bytes >= received;
    expect(accounted || (exit.signal === "SIGKILL" && saysCut),
      `client received ${received} B; trace holds ${written} B, dropped ${trace.dropped.bytes} B; traced server exit ${JSON.stringify(exit)}; ` +
      `the trace ${saysCut ? "says" : "does not say"} it was cut`).toBe(true);
  });
});
