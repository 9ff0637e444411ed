import { describe, expect, it } from "vitest";
import { instrument } from "../helpers/instrumented.js";
import { transformSource } from "../../src/instrument/transform.js";

describe("transform: every function reports entry and exit", () => {
  it("records nested calls in order, with names from the syntax", () => {
    const { exports, events } = instrument<{ Server: new () => { attach(): number } }>(`
      "use strict";
      class Server {
        attach() { return helper(2) + 1; }
      }
      function helper(n) { return [1, 2].map((x) => x * n).length; }
      exports.Server = Server;
    `);
    expect(new exports.Server().attach()).toBe(3);
    expect(events()).toEqual([
      "enter Server.attach",
      "enter helper",
      "enter <anonymous map callback in helper>",
      "exit <anonymous map callback in helper>",
      "enter <anonymous map callback in helper>",
      "exit <anonymous map callback in helper>",
      "exit helper",
      "exit Server.attach",
    ]);
  });

  it("keeps line numbers: nothing it inserts contains a newline", () => {
    const source = "function a() {\n  return 1;\n}\nconst b = () =>\n  2;\nclass C { constructor() {}\n get x() { return 1 } }\n";
    const { code } = transformSource(source, { sourceType: "script", idBase: 1 });
    expect(code.split("\n").length).toBe(source.split("\n").length);
  });

  it("finds declaration lines, closures and listeners by place", () => {
    const { functions } = instrument(`
      class Server {
        attach(server) {
          server.on("request", (req, res) => {});
          setTimeout(function () {}, 1);
        }
      }
      Server.prototype.extra = function () {};
      Object.defineProperty(exports, "Thing", { enumerable: true, get: function () { return 1; } });
    `);
    const byName = Object.fromEntries(functions.map((f) => [f.name, f]));
    expect(byName["Server.attach"]).toMatchObject({ line: 3, kind: "method", className: "Server", member: "attach" });
    expect(byName["<anonymous request listener in Server.attach>"]).toMatchObject({ line: 4, kind: "closure", enclosing: "Server.attach" });
    expect(byName["<anonymous setTimeout callback in Server.attach>"]).toMatchObject({ line: 5 });
    expect(byName["Server.extra"]).toMatchObject({ className: "Server", member: "extra" });
    expect(byName["get exports.Thing"]).toMatchObject({ generated: true });
  });

  it("leaves a file it cannot parse unchanged and says why", () => {
    const result = transformSource("function (", { sourceType: "script", idBase: 1 });
    expect(result.code).toBe("function (");
    expect(result.error).toMatch(/Unexpected token/);
  });
});

describe("transform: tracing changes nothing", () => {
  const { exports } = instrument<Record<string, any>>(`
    "use strict";
    class Base { constructor(v) { this.v = v; } }
    class Derived extends Base {
      constructor(v) { const seen = new.target.name; super(v * 2); this.seen = seen; }
      get doubled() { return this.v * 2; }
      set doubled(x) { this.v = x / 2; }
      [Symbol.iterator]() { return [this.v][Symbol.iterator](); }
      static make(...args) { return new Derived(...args); }
    }
    function threeParams(a, b, c) { return this; }
    function thrower() { throw new TypeError("boom"); }
    function swallows() { try { thrower(); } catch (e) { return e.message; } }
    const arrowObject = () => ({ a: 1 });
    async function waits(x) { const y = await Promise.resolve(x); return y + 1; }
    function* counts() { const got = yield 1; yield got; }
    function usesArguments() { return arguments.length; }
    function early(flag) { if (flag) return "early"; return "late"; }
    const emptyBody = function () {};
    Object.assign(exports, { Derived, threeParams, thrower, swallows, arrowObject, waits, counts, usesArguments, early, emptyBody });
  `);

  it("keeps fn.length, fn.name and this", () => {
    expect(exports.threeParams.length).toBe(3);
    expect(exports.threeParams.name).toBe("threeParams");
    const self = {};
    expect(exports.threeParams.call(self)).toBe(self);
    expect(exports.Derived.make.length).toBe(0);
    expect(exports.arrowObject.name).toBe("arrowObject");
  });

  it("keeps new.target, super, getters, setters and symbol-keyed methods", () => {
    const d = exports.Derived.make(2);
    expect(d.seen).toBe("Derived");
    expect(d.v).toBe(4);
    expect(d.doubled).toBe(8);
    d.doubled = 10;
    expect(d.v).toBe(5);
    expect([...d]).toEqual([5]);
  });

  it("keeps thrown errors (same object, same type) and caught ones", () => {
    expect(() => exports.thrower()).toThrow(TypeError);
    expect(exports.swallows()).toBe("boom");
  });

  it("keeps return values of expression arrows, early returns, arguments", () => {
    expect(exports.arrowObject()).toEqual({ a: 1 });
    expect(exports.early(true)).toBe("early");
    expect(exports.early(false)).toBe("late");
    expect(exports.usesArguments(1, 2, 3)).toBe(3);
    expect(exports.emptyBody()).toBeUndefined();
  });

  it("keeps async functions and generators working, suspensions recorded", async () => {
    expect(await exports.waits(1)).toBe(2);
    const gen = exports.counts();
    expect(gen.next().value).toBe(1);
    expect(gen.next("x").value).toBe("x");
    expect(gen.next().done).toBe(true);
  });

  it("wrapping twice is harmless", () => {
    const once = transformSource("function f(a){return a+1}\nexports.f=f;", { sourceType: "script", idBase: 1 }).code;
    const twice = transformSource(once, { sourceType: "script", idBase: 100 }).code;
    const module = { exports: {} as { f(a: number): number } };
    new Function("module", "exports", twice)(module, module.exports);
    expect(module.exports.f(1)).toBe(2);
    expect(module.exports.f.length).toBe(1);
  });
});

describe("transform: async functions", () => {
  it("records the part before await nested, and the resumption as its own root", async () => {
    const { exports, events } = instrument<{ outer(): Promise<number> }>(`
      async function inner() { sync(); const v = await Promise.resolve(1); sync(); return v; }
      function sync() {}
      exports.outer = function outer() { return inner(); };
    `);
    await exports.outer();
    expect(events()).toEqual([
      "enter outer",
      "enter inner",
      "enter sync",
      "exit sync",
      "suspend inner",
      "exit outer",
      "resume inner",
      "enter sync",
      "exit sync",
      "exit inner",
    ]);
  });
});
