/**
 * What the tool says about a user's own app is made of claims checked on its
 * run: a sentence is narrated ("what") only when the run showed it; what did
 * not happen (a middleware the client never reached, a handler never called)
 * is listed as not seen with its reason, never narrated.
 */
import { describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli.js";

/** The headless text's step blocks, by the kind in their title (`connect`, `engine middleware`…). */
function blocks(stdout: string): Map<string, { what: string; unseen: string[] }> {
  const out = new Map<string, { what: string; unseen: string[] }>();
  for (const block of stdout.split("━━ Step ").slice(1)) {
    const kind = /^\d+\/\d+ · ([^:]+):/.exec(block)?.[1] ?? "";
    const lines = block.split("\n");
    const what = lines.filter((l) => l.startsWith("  what ")).join(" ");
    const unseen = lines.filter((l) => l.startsWith("  unseen "));
    if (!out.has(kind)) out.set(kind, { what, unseen });
  }
  return out;
}

describe("your own app's narration, checked on its run", () => {
  it("every kind of start-up line and the client's visit: what ran is narrated, with the app's lines", async () => {
    const { code, stdout, stderr } = await runCli(["test/fixtures/apps/narrated/server.js", "--emit-ack", 'message="hi"']);
    expect(code, stderr).toBe(0);
    const steps = blocks(stdout);
    expect(steps.get("init")?.what).toContain("Server.constructor ran from your line server.js:6");
    expect(steps.get("init")?.what).toContain("requests under /socket.io/ go to engine.io");
    expect(steps.get("engine middleware")?.what).toContain("BaseServer.use ran from your line server.js:8");
    expect(steps.get("middleware")?.what).toContain("Namespace.use ran from your line server.js:9");
    expect(steps.get("handler registration")?.what).toContain("io.on hands it to the main namespace");
    expect(steps.get("run")?.what).toMatch(/The HTTP server listens on http:\/\/127\.0\.0\.1:\d+\./);
    const connect = steps.get("connect")!.what;
    for (const said of [
      "Your engine middleware (server.js:8) ran on the client's HTTP requests, under BaseServer._applyMiddlewares.",
      "Your middleware (server.js:9) ran when the client's CONNECT arrived, under Namespace.run.",
      "Your connection handler (server.js:16) ran under Namespace._doConnect, after Socket._onconnect had connected the socket.",
      "Your connection handler (server.js:16) puts the socket in a room: Socket.join ran under it.",
      "Your connection handler (server.js:16) emits to the socket's own client: Socket.emit ran under it.",
      'registers a listener for "message" (server.js:11)',
    ]) expect(connect).toContain(said);
    expect(steps.get("emit")?.what).toContain('Socket.onevent dispatched it to your handler for "message" (server.js:11).');
    expect(steps.get("emit")?.what).toContain("BroadcastOperator.emit ran under it");
    expect(steps.get("emit")?.what).toContain("The handler called its ack: the ACK went back to the client.");
    expect(steps.get("disconnect")?.what).toContain("Your disconnect handler (server.js:19) ran under Socket._onclose.");
    // Every sentence held: nothing unseen, no placeholder left unfilled.
    expect([...steps.values()].flatMap((s) => s.unseen)).toEqual([]);
    expect(stdout).not.toMatch(/\{\w+\}/);
    expect(stdout).toMatch(/claims: \d+ held on this run, 0 not seen/);
  });

  it("an engine middleware that answers 401: what never ran is not seen, with why, and never narrated", async () => {
    const { code, stdout } = await runCli(["test/fixtures/apps/engine-refuses/server.js"]);
    expect(code).toBe(1);
    const connect = blocks(stdout).get("connect")!;
    expect(connect.what).toContain("Your engine middleware (server.js:8) ran on the client's HTTP requests");
    const unseen = connect.unseen.join("\n");
    expect(unseen).toMatch(/Your middleware \(server\.js:12\) ran when the client's CONNECT arrived.*\(not seen on this run: no call of @test\/fixtures\/apps\/engine-refuses\/server\.js:12 in this step\)/);
    expect(unseen).toMatch(/It let the first request through.*not seen on this run: no call of BaseServer\.handshake after/);
    expect(unseen).toContain("Your connection handler (server.js:13) ran");
    expect(connect.what).not.toMatch(/Your middleware|connection handler|handshake followed|open packet/);
    expect(stdout).toMatch(/claims: \d+ held on this run, [1-9]\d* not seen/);
  });

  it("a namespace middleware that refuses: the connection handler is not seen, the middleware is narrated", async () => {
    const { code, stdout } = await runCli(["test/fixtures/apps/reject/server.js"]);
    expect(code).toBe(1);
    const connect = blocks(stdout).get("connect")!;
    expect(connect.what).toContain("Your middleware (server.js:7) ran when the client's CONNECT arrived, under Namespace.run.");
    expect(connect.unseen.join("\n")).toContain("Your connection handler (server.js:8) ran under Namespace._doConnect");
    expect(connect.what).not.toContain("connection handler");
    expect(connect.what).not.toContain("answered CONNECT");
  });
});
