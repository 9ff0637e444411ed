/**
 * What tracing one's own app says when something is wrong, and the external-client mode.
 */
import { spawn } from "node:child_process";
import { createServer, type Server } from "node:net";
import { describe, expect, it } from "vitest";
import { io } from "socket.io-client";
import { BIN, runCli } from "../helpers/cli.js";

describe("trace-socket path/to/server.js: errors and external clients", () => {
  it("says so when the app never creates a socket.io server", async () => {
    const { code, stderr } = await runCli(["test/fixtures/apps/no-server/server.js"], { TRACE_SOCKET_START_TIMEOUT: "1500" });
    expect(code).toBe(1);
    expect(stderr).toContain("never created a socket.io server");
  });

  it("names the port when it is already in use, passing the app its arguments after --", async () => {
    const blocker: Server = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, "127.0.0.1", resolve));
    const port = (blocker.address() as { port: number }).port;
    try {
      const { code, stderr } = await runCli(["test/fixtures/apps/port-arg/server.js", "--", String(port)], { PORT: "" });
      expect(code).toBe(1);
      expect(stderr).toContain(`port ${port} is already in use`);
      // The port came from the app's argument, not from PORT: no advice about PORT.
      expect(stderr).not.toContain("PORT=");
    } finally {
      blocker.close();
    }
  });

  it("names the app's PORT when that is the port in use, and how to change it", async () => {
    const blocker: Server = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, "127.0.0.1", resolve));
    const port = (blocker.address() as { port: number }).port;
    try {
      const { code, stdout, stderr } = await runCli(["test/fixtures/apps/address-now/server.js"], { PORT: String(port) });
      expect(code).toBe(1);
      const said = `port ${port} is already in use: the app could not listen`;
      const named = `it is the app's PORT=${port}: set PORT to a free port (or 0 for any), or stop what holds it`;
      expect(stderr).toContain(said);
      expect(stderr).toContain(named);
      expect(stdout).toMatch(new RegExp(`run stopped: .*${said}.*${named.replace(/[()]/g, "\\$&")}`));
    } finally {
      blocker.close();
    }
  });

  it("rejects a missing file and bad client flags with exit 2", async () => {
    expect((await runCli(["test/fixtures/apps/nope.js"])).code).toBe(2);
    const bad = await runCli(["test/fixtures/apps/reject/server.js", "--transports", "pigeon"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr.trim().split("\n")).toHaveLength(1);
  });

  it("--client none waits for your own clients and prints their trace on Ctrl-C", async () => {
    const child = spawn(process.execPath, [BIN, "test/fixtures/apps/express-cjs/server.js", "--client", "none"], { stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, CI: "" } });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d));
    const address = await new Promise<string>((resolve) =>
      child.stderr.on("data", (d: Buffer) => {
        stderr += d;
        const match = /listening on (http:\/\/\S+)/.exec(stderr);
        if (match && stderr.includes("press Ctrl-C")) resolve(match[1]);
      }),
    );
    const socket = io(address, { transports: ["websocket"] });
    const reply = await socket.timeout(15_000).emitWithAck("echo", "from outside");
    expect(reply).toBe("from outside");
    socket.disconnect();
    await new Promise((resolve) => setTimeout(resolve, 300));
    const exited = new Promise<number | null>((resolve) => child.on("close", resolve));
    child.kill("SIGINT");
    expect(await exited).toBe(0);
    expect(stdout).toMatch(/━━ Step \d+\/\d+ · client 1: emits "echo" with ack 0\n/);
    expect(stdout).toContain('420["echo","from outside"]');
  });
});
