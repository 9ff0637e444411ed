/**
 * The built binary: `export` of your own app, and flags that do not apply to
 * the mode asked for are refused (one line, exit 2) instead of being ignored.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { parseTraceFile } from "../../src/trace/trace-file.js";
import { runCli } from "../helpers/cli.js";

const dir = mkdtempSync(join(tmpdir(), "trace-socket-modes-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const APP = "test/fixtures/apps/express-cjs/server.js";
// A machine under load may take long to start an app: the start's own cutoff is not what is tested here.
const SLOW_START = { TRACE_SOCKET_START_TIMEOUT: "60000" };

describe("trace-socket export path/to/server.js", () => {
  it("writes the markdown report of your app, without the chat's Flask-SocketIO counterpart", async () => {
    const output = join(dir, "report.md");
    const { code, stdout, stderr } = await runCli(["export", APP, "-o", output, "--offline", "--emit-ack", 'echo="hi"'], SLOW_START);
    expect(stderr).not.toContain("too many arguments");
    expect(code).toBe(0);
    expect(stdout).toMatch(/^wrote .*report\.md \([\d.]+ KB, 7 steps\)\n$/);
    const md = readFileSync(output, "utf8");
    expect(md.startsWith("# How socket.io really works: `server.js`, traced\n")).toBe(true);
    expect(md).toContain("httpServer.listen(0);");
    // The diagram names the packet as it travels (the event, its ack id), the frames table decodes it.
    expect(md).toContain('420 (event /, ack 0) ["echo","hi"]');
    expect(md).toContain('Socket.IO EVENT, nsp /, ack id 0 ["echo","hi"]');
    expect(md).not.toMatch(/Flask-SocketIO|5bytes/);
  });

  it("writes the whole trace of your app with --format json", async () => {
    const output = join(dir, "app.json");
    const { code, stderr } = await runCli(["export", APP, "--format", "json", "-o", output], SLOW_START);
    expect(code, stderr).toBe(0);
    const trace = parseTraceFile(readFileSync(output, "utf8"));
    expect(trace.meta.scenario).toContain("express-cjs/server.js");
    expect(trace.steps.map((s) => s.id)).toEqual(["load", "init", "handlers", "run", "connect", "disconnect"]);
  });
});

describe("flags the mode would ignore", () => {
  async function refused(args: string[], message: string): Promise<void> {
    const { code, stdout, stderr } = await runCli(args);
    expect(code, args.join(" ")).toBe(2);
    expect(stdout).toBe("");
    expect(stderr.trim().split("\n"), args.join(" ")).toEqual([`trace-socket: ${message}`]);
  }

  it("--port for your own app, which listens where its code says", async () => {
    const output = join(dir, "never.md");
    const message = "--port does not apply to your own app: it listens where its own code says (pass its own flag after --, e.g. `-- --port 3000`, or set PORT if it reads it)";
    await refused([APP, "--port", "3000"], message);
    await refused(["export", APP, "--port", "3000", "-o", output], message);
    expect(existsSync(output)).toBe(false);
  });

  it("the app's client flags for the built-in chats", async () => {
    await refused(["--emit", "x=1"], "--emit applies only to your own app (trace-socket server.js --emit …); the built-in chat runs its own client");
    await refused(["--no-interactive", "--auth", '{"a":1}'], "--auth applies only to your own app (trace-socket server.js --auth …); the built-in chat runs its own client");
    await refused(["--server", "flask", "--transports", "websocket"], "--transports applies only to your own app (trace-socket server.js --transports …); the built-in chat runs its own client");
    await refused(["--compare", "--namespace", "/admin"], "--namespace applies only to your own app (trace-socket server.js --namespace …); the built-in chat runs its own client");
    await refused(["export", "--client", "none", "-o", join(dir, "x.md")], "--client applies only to your own app (trace-socket server.js --client …); the built-in chat runs its own client");
  });
});
