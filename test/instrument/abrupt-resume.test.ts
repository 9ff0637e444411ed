import { describe, expect, it } from "vitest";
import { instrument } from "../helpers/instrumented.js";

// An `await` whose promise rejects, and a generator's throw()/return(), resume the
// function without the `r` wrapped around the await: the frame must come back where
// the code goes next, or the exit that follows is unmatched and the tree is wrong.
describe("abrupt resumptions keep entries and exits matched", () => {
  it("a rejected await caught in the function resumes it in the catch block", async () => {
    const { exports, events, recorder } = instrument<{ outer(): Promise<string> }>(`
      function fails() { return Promise.reject(new Error("nope")); }
      function report(e) { return e.message; }
      async function handshake() {
        let id;
        try { id = await fails(); } catch (e) { return report(e); }
        return id;
      }
      exports.outer = function outer() { return handshake(); };
    `);
    expect(await exports.outer()).toBe("nope");
    expect(events()).toEqual([
      "enter outer",
      "enter handshake",
      "enter fails",
      "exit fails",
      "suspend handshake",
      "exit outer",
      "resume handshake",
      "enter report",
      "exit report",
      "exit handshake",
    ]);
    expect(recorder.mismatched).toBe(0);
  });

  it("a rejected await that leaves the function resumes it, then exits it", async () => {
    const { exports, events, recorder } = instrument<{ run(): Promise<unknown> }>(`
      async function waits() { await Promise.reject(new Error("nope")); }
      exports.run = function run() { return waits().catch((e) => e.message); };
    `);
    expect(await exports.run()).toBe("nope");
    const seen = events();
    expect(seen.slice(0, 4)).toEqual(["enter run", "enter waits", "suspend waits", "exit run"]);
    expect(seen).toContain("resume waits");
    expect(seen.indexOf("exit waits")).toBe(seen.indexOf("resume waits") + 1);
    expect(recorder.mismatched).toBe(0);
  });

  it("a finally block after a rejected await runs inside the function's frame", async () => {
    const { exports, events, recorder } = instrument<{ run(): Promise<unknown> }>(`
      function cleanup() {}
      async function holds() { try { await Promise.reject(1); } finally { cleanup(); } }
      exports.run = function run() { return holds().catch(() => "caught"); };
    `);
    expect(await exports.run()).toBe("caught");
    const seen = events();
    const resumed = seen.indexOf("resume holds");
    expect(seen.slice(resumed, resumed + 4)).toEqual(["resume holds", "enter cleanup", "exit cleanup", "exit holds"]);
    expect(recorder.mismatched).toBe(0);
  });

  it("a generator's throw() and return() at a yield resume it under the caller", () => {
    const { exports, events, recorder } = instrument<{ thrown(): unknown; returned(): unknown }>(`
      function note() {}
      function* counts() { try { yield 1; yield 2; } catch (e) { note(); return "caught"; } }
      function* plain() { yield 1; }
      exports.thrown = function thrown() { const g = counts(); g.next(); return g.throw(new Error("x")).value; };
      exports.returned = function returned() { const g = plain(); g.next(); return g.return("early").value; };
    `);
    expect(exports.thrown()).toBe("caught");
    expect(events()).toEqual([
      "enter thrown",
      "enter counts",
      "suspend counts",
      "resume counts",
      "enter note",
      "exit note",
      "exit counts",
      "exit thrown",
    ]);
    expect(exports.returned()).toBe("early");
    expect(events()).toEqual(["enter returned", "enter plain", "suspend plain", "resume plain", "exit plain", "exit returned"]);
    expect(recorder.mismatched).toBe(0);
  });

  it("a catch reached by a synchronous throw does not resume anything", async () => {
    const { exports, events, recorder } = instrument<{ run(): Promise<string> }>(`
      function boom() { throw new Error("sync"); }
      async function tries() { await null; try { boom(); } catch (e) { return e.message; } }
      exports.run = function run() { return tries(); };
    `);
    expect(await exports.run()).toBe("sync");
    expect(events().filter((e) => e === "resume tries")).toHaveLength(1);
    expect(recorder.mismatched).toBe(0);
  });
});

describe("members filled in a loop", () => {
  it("records the member that ran, not the shared function: Server.on and Server.emit apart", async () => {
    const { FunctionRegistry } = await import("../../src/instrument/function-registry.js");
    const { transformSource } = await import("../../src/instrument/transform.js");
    const source = `
      class Server { constructor() { this.sockets = { on: () => "on", emit: () => "emit" }; } }
      ["on", "emit"].forEach(function (fn) {
        Server.prototype[fn] = function () { return this.sockets[fn].apply(this.sockets, arguments); };
      });
      exports.Server = Server;
    `;
    const { exports, recorder, functions } = instrument<{ Server: new () => { on(): string; emit(): string } }>(source);
    const registry = new FunctionRegistry("/");
    registry.add(1, "/index.js", "socket.io", "4.8.4", transformSource(source, { sourceType: "script", idBase: 1 }).functions);
    recorder.slotLookup = (id, key) => registry.slotMember(id, key);
    const server = new exports.Server();
    expect([server.on(), server.emit(), server.on()]).toEqual(["on", "emit", "on"]);
    const byId = new Map(registry.drain().map((f) => [f.id, f]));
    const batch = recorder.drain()!;
    const entered = [...batch.ids].filter((_, i) => batch.ops[i] === 1).map((id) => byId.get(id)?.name).filter((n) => n?.startsWith("Server.") && !n.includes(" in "));
    expect(entered).toEqual(["Server.constructor", "Server.on (Server[fn])", "Server.emit (Server[fn])", "Server.on (Server[fn])"]);
    const on = [...byId.values()].find((f) => f.name === "Server.on (Server[fn])")!;
    // Same source as the shared function: its link and upstream match are those of Server[fn].
    expect(on).toMatchObject({ className: "Server", member: "[fn]", line: functions.find((f) => f.name === "Server[fn]")!.line });
    expect(recorder.mismatched).toBe(0);
  });
});
