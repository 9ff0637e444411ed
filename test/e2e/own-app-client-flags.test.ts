/**
 * The built-in client's flags on real runs against a session-cookie app (an engine.io middleware
 * that answers 401 without the cookie, as passport apps do): the cookie, a header and a query
 * reach the app's handshake; `--emit` sends without an ack, `--emit-ack` waits for one for
 * `--timeout` ms; and a refused connection says, in the text itself, why the run stopped.
 */
import { describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli.js";
import { traceLines, type TraceLine } from "../helpers/json-lines.js";
import { decodeChunks } from "../../src/wire/index.js";
import type { Chunk } from "../../src/trace/model.js";

const APP = "test/fixtures/apps/cookie-auth/server.js";

/** The Socket.IO packets of the run, as `type nsp id data`. */
function socketIoPackets(lines: readonly TraceLine[]): string[] {
  const messages = decodeChunks(lines.filter((l) => l.type === "chunk") as unknown as Chunk[]);
  return messages.flatMap((m) => m.layers.flatMap((layer) => (layer.kind === "socket.io" ? layer.packets.map((p) => `${p.name} ${p.nsp} ${p.id ?? "-"} ${p.data}`) : [])));
}

describe("trace-socket server.js: the built-in client's flags", () => {
  it("--cookie, --header and --query reach the handshake; --emit-ack waits for the ack, --emit asks none", async () => {
    const { code, stdout, stderr } = await runCli([
      APP, "--json", "--cookie", "sid=s3cret", "--header", "X-Trace: yes", "--query", "room=blue",
      "--emit", 'note="hi"', "--emit-ack", "whoami", "--emit", 'note="bye"',
    ]);
    expect(code, stderr).toBe(0);
    const lines = traceLines(stdout);
    const steps = lines.filter((l) => l.type === "step");
    // In command-line order, each with the call the client made.
    expect(steps.filter((s) => s.id?.startsWith("emit")).map((s) => s.title)).toEqual([
      'emit: socket.emit("note", "hi")',
      'emit: socket.emitWithAck("whoami")',
      'emit: socket.emit("note", "bye")',
    ]);
    expect(steps.find((s) => s.id === "connect")?.title).toContain('"query":{"room":"blue"},"extraHeaders":{"x-trace":"yes","cookie":"sid=s3cret"}');
    const packets = socketIoPackets(lines);
    expect(packets).toContain('EVENT / - ["note","hi"]');
    expect(packets).toContain('EVENT / 0 ["whoami"]');
    // The app saw the session's user, the header and the query parameter.
    expect(packets).toContain('ACK / 0 [{"user":"alice","header":"yes","room":"blue"}]');
    expect(packets).toContain('EVENT / - ["note","bye"]');
    const logs = lines.filter((l) => l.type === "log").map((l) => `${l.source} ${l.text}`);
    expect(logs).toEqual(expect.arrayContaining(["stdout connected: alice", "stdout note: hi", "stdout note: bye", "client emit note: sent, no ack asked"]));
  });

  it("--timeout bounds the wait for an ack that never comes", async () => {
    const { code, stdout } = await runCli([APP, "--cookie", "sid=s3cret", "--emit-ack", "silent", "--timeout", "400"]);
    expect(code).toBe(0);
    expect(stdout).toContain("client  emit silent: no ack within 400 ms");
    expect(stdout).toContain("stdout  silent: no ack on purpose");
  });

  it("a 401 from the engine middleware: the text says why the run stopped, what never ran, and what the app printed; exit 1", async () => {
    const { code, stdout, stderr } = await runCli([APP, "--emit-ack", "whoami"]);
    expect(code).toBe(1);
    expect(stderr.trim().split("\n").at(-1)).toMatch(/could not connect to .*: HTTP 401 no session$/);
    expect(stdout).toMatch(/\nrun stopped: the client failed: the built-in client could not connect to http:\/\/127\.0\.0\.1:\d+ \(path \/socket\.io, transports polling, websocket, namespace \/\): HTTP 401 no session\n/);
    expect(stdout).toMatch(/\n {2}not run: step \d+\/\d+ · emit: socket\.emitWithAck\("whoami"\)\n {2}not run: step \d+\/\d+ · disconnect: socket\.disconnect\(\)\n/);
    expect(stdout).toContain("stderr  refused /socket.io/: no session cookie");
    // io.engine.use is an HTTP-level middleware, not a namespace's.
    expect(stdout).toMatch(/━━ Step \d+\/\d+ · engine middleware: io\.engine\.use\(/);
    expect(stdout).not.toMatch(/\{\w+\}/);
  });

  it("a CONNECT_ERROR from a namespace middleware: the same, exit 1", async () => {
    const { code, stdout } = await runCli(["test/fixtures/apps/reject/server.js", "--emit", "x=1"]);
    expect(code).toBe(1);
    expect(stdout).toMatch(/\nrun stopped: the client failed: .*: CONNECT_ERROR "not allowed"\n/);
    expect(stdout).toMatch(/\n {2}not run: step \d+\/\d+ · emit: socket\.emit\("x", 1\)\n/);
    expect(stdout).toContain("stderr  refused");
    // Values the run did show fill the narration; none is left as a template's placeholder.
    expect(stdout).toMatch(/pingInterval 25000 ms/);
    expect(stdout).not.toMatch(/\{\w+\}/);
  });

  for (const [flag, value, message] of [
    ["--timeout", "soon", 'expected milliseconds from 1 to 600000 (got "soon")'],
    ["--timeout", "0", "expected milliseconds from 1 to 600000"],
    ["--header", "X-Trace yes", "expected 'Name: value'"],
    ["--header", "X-Trace: a\nb", "cannot hold control characters"],
    ["--cookie", "=x", "expected name=value"],
    ["--cookie", "sid=a;b", "cannot hold ; , spaces"],
    ["--query", "room", "expected key=value"],
    ["--query", "EIO=3", "Engine.IO's own query parameter"],
    ["--emit-ack", "=1", "expected event=<json>"],
  ] as const) {
    it(`${flag} ${JSON.stringify(value)}: one line, exit 2`, async () => {
      const { code, stderr } = await runCli([APP, flag, value]);
      expect(code).toBe(2);
      expect(stderr.trim().split("\n")).toHaveLength(1);
      expect(stderr).toContain(message);
    });
  }

  it("the built-in client's flags with --client none, or without an app: one line, exit 2", async () => {
    const none = await runCli([APP, "--client", "none", "--cookie", "sid=s3cret"]);
    expect(none.code).toBe(2);
    expect(none.stderr.trim()).toBe("trace-socket: --cookie shapes the built-in client, and --client none runs without it (your own clients connect as they are)");
    const chat = await runCli(["--emit-ack", "x=1"]);
    expect(chat.code).toBe(2);
    expect(chat.stderr.trim()).toBe("trace-socket: --emit-ack applies only to your own app (trace-socket server.js --emit-ack …); the built-in chat runs its own client");
  });
});
