/**
 * Tracing users' own apps of several shapes with the built binary.
 */
import { describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli.js";
import { decodeChunks } from "../../src/wire/index.js";
import type { Chunk } from "../../src/trace/model.js";

interface Line {
  type: string;
  id?: string;
  code?: { file: string; line: number; text: string };
  data?: string;
}

function parse(stdout: string): Line[] {
  return stdout.trim().split("\n").filter(Boolean).map((l) => JSON.parse(l) as Line);
}

/** Every decoded message's raw text (WebSocket payloads unmasked), one a line. */
function wire(lines: readonly Line[]): string {
  const chunks = lines.filter((l) => l.type === "chunk") as unknown as Chunk[];
  return decodeChunks(chunks)
    .flatMap((m) => [m.raw, ...m.layers.flatMap((l) => (l.kind === "engine.io" ? l.packets.map((p) => `${p.type}${p.data}`) : []))])
    .join("\n");
}

describe("trace-socket path/to/server.js", () => {
  it("express + CommonJS: steps from the app's own lines, loopback enforced, echo with ack", async () => {
    const { code, stdout, stderr } = await runCli(["test/fixtures/apps/express-cjs/server.js", "--json", "--emit-ack", 'echo={"hi":1}']);
    expect(code).toBe(0);
    expect(stderr).toMatch(/traced server listening on http:\/\/127\.0\.0\.1:\d+/);
    expect(stderr).toContain("bound it to 127.0.0.1");
    const lines = parse(stdout);
    const steps = lines.filter((l) => l.type === "step");
    expect(steps.map((s) => s.id)).toEqual(["load", "init", "handlers", "run", "connect", "emit", "disconnect"]);
    const run = steps.find((s) => s.id === "run")!;
    expect(run.code).toMatchObject({ file: "test/fixtures/apps/express-cjs/server.js", line: 15, text: "httpServer.listen(0);" });
    expect(wire(lines)).toContain('430[{"hi":1}]');
  });

  it("ESM with a namespace, middleware and a room", async () => {
    const { code, stdout } = await runCli(["test/fixtures/apps/esm-rooms/server.js", "--json", "--namespace", "/admin", "--auth", '{"token":"x"}', "--emit-ack", 'shout="hi"']);
    expect(code).toBe(0);
    const lines = parse(stdout);
    const steps = lines.filter((l) => l.type === "step");
    expect(steps.map((s) => s.id)).toContain("middleware");
    // `const admin = io.of("/admin");` is a step of its own, with the app's line.
    expect(steps.find((s) => s.id === "namespace")).toMatchObject({ title: 'namespace: const admin = io.of("/admin");', code: { line: 7 } });
    const text = wire(lines);
    expect(text).toContain('40/admin,{"token":"x"}');
    expect(text).toContain('42/admin,["shouted","HI"]');
    expect(text).toContain('43/admin,0["sent to ops"]');
  });

  it("binary payloads: BINARY_EVENT with an attachment in, BINARY_ACK out", async () => {
    const { code, stdout } = await runCli(["test/fixtures/apps/binary/server.js", "--json", "--transports", "websocket", "--emit-ack", 'upload={"$binary":"AAECAw=="}']);
    expect(code).toBe(0);
    const text = wire(parse(stdout));
    expect(text).toContain('451-0["upload",{"_placeholder":true,"num":0}]');
    expect(text).toMatch(/^<binary 4 bytes> 00 01 02 03$/m);
    expect(text).toContain('461-0[{"size":4,"echo":{"_placeholder":true,"num":0}}]');
  });

  it("a middleware that rejects: CONNECT_ERROR on the wire, the trace so far, and exit 1 saying so", async () => {
    const { code, stdout, stderr } = await runCli(["test/fixtures/apps/reject/server.js", "--json"]);
    expect(code).toBe(1);
    const lines = parse(stdout);
    expect(wire(lines)).toContain('44{"message":"not allowed"}');
    expect(lines.filter((l) => l.type === "step").map((s) => s.id)).not.toContain("disconnect");
    expect(stderr.trim().split("\n").at(-1)).toMatch(/could not connect to http:\/\/127\.0\.0\.1:\d+ \(path \/socket\.io, transports polling, websocket, namespace \/\): CONNECT_ERROR "not allowed"$/);
  });

  it("an app that throws at start-up: its error, the trace so far, exit 1", async () => {
    const { code, stdout, stderr } = await runCli(["test/fixtures/apps/crash/server.js"]);
    expect(code).toBe(1);
    expect(stderr).toContain("boom at start-up");
    expect(stderr).toContain("crash/server.js:6");
    expect(stdout).toContain("init: const io = new Server();");
  });
});
