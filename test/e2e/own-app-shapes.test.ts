/**
 * What the app is decides what is traced: the built-in client connects the way
 * the live server says (its path, its transports), and an app that is no
 * socket.io server (plain express, plain ws, a cluster primary that only forks)
 * is named as what it is, in one line, exit 1 — never narrated as socket.io.
 */
import { describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli.js";
import { decodeChunks } from "../../src/wire/index.js";
import type { Chunk } from "../../src/trace/model.js";

function lastLine(text: string): string {
  return text.trim().split("\n").at(-1) ?? "";
}

describe("trace-socket path/to/server.js: what the app is", () => {
  it("a custom path and WebSocket-only transports are read from the live server and used", async () => {
    const { code, stdout } = await runCli(["test/fixtures/apps/custom-path/server.js", "--json", "--emit-ack", 'echo={"at":"/ws/"}']);
    expect(code).toBe(0);
    const lines = stdout.trim().split("\n").map((l) => JSON.parse(l) as { type: string; id?: string; title?: string });
    expect(lines.find((l) => l.id === "connect")?.title).toMatch(/^connect: io\("http:\/\/127\.0\.0\.1:\d+", \{"path":"\/ws","transports":\["websocket"\]\}\)$/);
    const messages = decodeChunks(lines.filter((l) => l.type === "chunk") as unknown as Chunk[]);
    expect(messages.some((m) => m.raw.startsWith("GET /ws/?EIO=4&transport=websocket "))).toBe(true);
    expect(messages.map((m) => m.raw).join("\n")).toContain('430[{"at":"/ws/"}]');
  });

  it("a client that cannot connect ends the run: exit 1, what was tried and what the server answered", async () => {
    const { code, stderr } = await runCli(["test/fixtures/apps/custom-path/server.js", "--transports", "polling"]);
    expect(code).toBe(1);
    expect(lastLine(stderr)).toMatch(
      /could not connect to http:\/\/127\.0\.0\.1:\d+ \(path \/ws, transports polling, namespace \/\): HTTP 400 \{"code":0,"message":"Transport unknown"\} \(the server accepts websocket only\)$/,
    );
    const unknown = await runCli(["test/fixtures/apps/esm-rooms/server.js", "--namespace", "/nope"]);
    expect(unknown.code).toBe(1);
    expect(lastLine(unknown.stderr)).toMatch(/namespace \/nope\): CONNECT_ERROR "Invalid namespace" \(its namespaces are \/, \/admin\)$/);
  });

  for (const [app, found] of [
    ["express-only", "(no socket.io module was loaded)"],
    ["ws-only", "(it loaded ws, not socket.io)"],
  ] as const) {
    it(`${app}: named as not a socket.io server, exit 1, no socket.io steps`, async () => {
      const { code, stdout, stderr } = await runCli([`test/fixtures/apps/${app}/server.js`]);
      expect(code).toBe(1);
      expect(lastLine(stderr)).toMatch(new RegExp(`^trace-socket: test/fixtures/apps/${app}/server\\.js listened on :\\d+ but never created a socket\\.io Server \\${found.slice(0, -1)}\\)`));
      expect(stdout).not.toContain("━━ Step");
      expect(stdout).not.toMatch(/\{sid\}|engine\.io's listening listener/);
      // What it loaded, not the socket.io installed beside trace-socket.
      expect(stdout).toMatch(app === "ws-only" ? /\npackages: ws@\d+\.\d+\.\d+\n/ : /\npackages: none of the socket\.io family was loaded\n/);
      const json = await runCli([`test/fixtures/apps/${app}/server.js`, "--json"]);
      const meta = JSON.parse(json.stdout.split("\n")[0]) as { type: string; packages: Record<string, string> };
      expect(meta.type).toBe("meta");
      expect(meta.packages).toEqual(app === "ws-only" ? { ws: expect.any(String) } : {});
    });
  }

  it("a cluster primary that only forks: what it did and how to trace a worker, exit 1", async () => {
    const { code, stdout, stderr } = await runCli(["test/fixtures/apps/cluster-primary/server.js"]);
    expect(code).toBe(1);
    expect(lastLine(stderr)).toMatch(/^trace-socket: test\/fixtures\/apps\/cluster-primary\/server\.js is a cluster primary: it forked 2 workers and never created a socket\.io Server itself; its workers run server\.js again/);
    expect(stdout).not.toContain("━━ Step");
  });
});
