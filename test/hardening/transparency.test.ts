/**
 * Tracing changes nothing a program can observe, checked two ways:
 *  - on the REAL family: `fixtures/family-probe.mjs` loads socket.io, engine.io, the
 *    parsers, the adapter, ws and cors plain, instrumented by the real require hook,
 *    and instrumented twice, and reports every exported function's name and length,
 *    every prototype member (getters, setters, symbol keys) and a set of behaviours
 *    (constructors and `new.target`, `this`, errors thrown) — the three must agree;
 *  - on snippets, for the corners `test/instrument/transform.test.ts` leaves out.
 */
import { execFile } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";
import { beforeAll, describe, expect, it } from "vitest";
import { OP, Recorder } from "../../src/instrument/recorder.js";
import { PACKAGE_ROOT } from "../../src/trace/scenario.js";
import { instrument } from "../helpers/instrumented.js";

const run = promisify(execFile);
const PROBE = join(PACKAGE_ROOT, "test/hardening/fixtures/family-probe.mjs");

interface ProbeReport {
  readonly mode: string;
  readonly shapes: Record<string, unknown>;
  readonly behaviours: Record<string, unknown>;
  readonly encoderDepth: number;
  readonly recorded: number;
  readonly mismatched: number;
}

async function probe(mode: "plain" | "traced" | "twice"): Promise<ProbeReport> {
  const { stdout } = await run(process.execPath, [PROBE, mode, PACKAGE_ROOT], { cwd: PACKAGE_ROOT, maxBuffer: 64 * 1024 * 1024 });
  return JSON.parse(stdout) as ProbeReport;
}

describe("the real socket.io family, instrumented, looks and acts the same", () => {
  let plain: ProbeReport;
  let traced: ProbeReport;
  let twice: ProbeReport;
  beforeAll(async () => {
    [plain, traced, twice] = await Promise.all([probe("plain"), probe("traced"), probe("twice")]);
  }, 60_000);

  it("really ran instrumented (calls were recorded) and balanced", () => {
    expect(plain.recorded).toBe(0);
    expect(traced.recorded).toBeGreaterThan(10_000);
    expect(traced.mismatched).toBe(0);
    expect(twice.recorded).toBeGreaterThan(traced.recorded);
  });

  it("keeps name and length of every exported function, static and prototype member, accessors and symbol keys", () => {
    expect(Object.keys(plain.shapes).length).toBeGreaterThan(30);
    expect(plain.shapes["socket.io.Server"]).toMatchObject({ name: "Server", prototype: { of: { name: "of", length: 2 }, local: { kind: "accessor" } } });
    expect(plain.shapes["ws/lib/limiter.js"]).toMatchObject({ prototype: { "[kRun]": { kind: "value", type: "function" } } });
    expect(traced.shapes).toEqual(plain.shapes);
  });

  it("keeps behaviour: new.target and subclassing, this, getters and setters, symbol-keyed methods, thrown errors", () => {
    expect(plain.behaviours).toMatchObject({
      callWithoutNew: { threw: "TypeError" },
      subclass: { target: "MyServer", instance: true, proto: true },
      reflectConstruct: true,
      fluent: true,
      borrowed: true,
      symbolMethod: { ran: ["a", "b"] },
      decoderErrors: { illegalAttachments: { message: "illegal attachments" } },
    });
    expect(traced.behaviours).toEqual(plain.behaviours);
  });

  it("is harmless when applied twice", () => {
    expect(twice.shapes).toEqual(plain.shapes);
    expect(twice.behaviours).toEqual(plain.behaviours);
  });

  it("leaves the stack headroom: recursion depth before RangeError stays within 10%", () => {
    // socket.io-parser's hasBinary recursion on ["ev", [[[…]]]]: about 4,100 levels plain.
    expect(plain.encoderDepth).toBeGreaterThan(1000);
    expect(traced.encoderDepth).toBeGreaterThanOrEqual(Math.floor(plain.encoderDepth * 0.9));
  });
});

describe("the recorder with calls nested deeper than its stack", () => {
  // The recorder keeps 8,192 open frames. Deeper frames are not stored, and their exits
  // must pop one level each; popping by id instead collapses the stack to the stored
  // frame of the same id and the outermost calls lose their exit records.
  it.each([["one recursive function", (i: number) => 1 + 0 * i], ["two alternating functions", (i: number) => 1 + (i & 1)]])(
    "%s, 8,300 deep: every entry gets its exit",
    (_name, idAt) => {
      const recorder = new Recorder(1 << 15);
      const depth = 8300;
      for (let i = 0; i < depth; i++) recorder.e(idAt(i));
      for (let i = depth - 1; i >= 0; i--) recorder.x(idAt(i));
      const batch = recorder.drain();
      const count = (op: number): number => (batch ? batch.ops.filter((o) => o === op).length : 0);
      expect({ enters: count(OP.enter), exits: count(OP.exit), mismatched: recorder.mismatched }).toEqual({ enters: depth, exits: depth, mismatched: 0 });
      expect(recorder.current()).toBe(-1);
    },
  );
});

describe("snippets: corners of the language the transform must not disturb", () => {
  const { exports } = instrument<Record<string, any>>(`
    "use strict";
    function defaults(a, b = 1, ...rest) { return [a, b, rest.length]; }
    function destructured({ x }, [y] = [2]) { return x + y; }
    const arrowArguments = function () { return (() => arguments.length)(); };
    const arrowThis = { v: 7, get() { return (() => this.v)(); } };
    const base = { hello() { return "base"; } };
    const derived = { __proto__: base, hello() { return "derived+" + super.hello(); } };
    const literal = { _v: 1, get v() { return this._v; }, set v(x) { this._v = x * 10; } };
    class Fields {
      static count = 0;
      static { Fields.count = 5; }
      #secret = 3;
      arrow = () => this.#secret;
      #hidden() { return this.#secret * 2; }
      reveal() { return this.#hidden(); }
      static [Symbol.hasInstance](x) { return x === "fields"; }
      async *[Symbol.asyncIterator]() { yield this.#secret; }
    }
    function throwsString() { throw "plain string"; }
    function throwsUndefined() { throw undefined; }
    function ownFinally() { try { return "try"; } finally { void 0; } }
    function finallyOverrides() { try { throw new Error("lost"); } finally { return "finally"; } }
    function getterThrows() { const o = { get boom() { throw new RangeError("from getter"); } }; return o.boom; }
    function sloppyLength(a, b) { return sloppyLength.length; }
    Object.assign(exports, { defaults, destructured, arrowArguments, arrowThis, derived, literal, Fields, throwsString,
      throwsUndefined, ownFinally, finallyOverrides, getterThrows, sloppyLength });
  `);

  it("keeps length with defaults, rest and destructuring", () => {
    expect(exports.defaults.length).toBe(1);
    expect(exports.defaults(1)).toEqual([1, 1, 0]);
    expect(exports.destructured.length).toBe(1);
    expect(exports.destructured({ x: 1 })).toBe(3);
    expect(exports.sloppyLength()).toBe(2);
  });

  it("keeps arguments and this seen from arrows, and super in object methods", () => {
    expect(exports.arrowArguments(1, 2, 3)).toBe(3);
    expect(exports.arrowThis.get()).toBe(7);
    expect(exports.derived.hello()).toBe("derived+base");
  });

  it("keeps object-literal accessors, class fields, static blocks, private members and symbol statics", async () => {
    exports.literal.v = 2;
    expect(exports.literal.v).toBe(20);
    const descriptor = Object.getOwnPropertyDescriptor(exports.literal, "v");
    expect(descriptor?.get?.name).toBe("get v");
    expect(descriptor?.set?.name).toBe("set v");
    expect(exports.Fields.count).toBe(5);
    const f = new exports.Fields();
    expect(f.arrow()).toBe(3);
    expect(f.reveal()).toBe(6);
    expect(("fields" as unknown as object) instanceof exports.Fields).toBe(true);
    const seen: number[] = [];
    for await (const v of f) seen.push(v as number);
    expect(seen).toEqual([3]);
  });

  it("keeps non-Error throws, finally semantics and errors from getters", () => {
    expect(() => exports.throwsString()).toThrow("plain string");
    let caught: unknown = "nothing";
    try {
      exports.throwsUndefined();
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeUndefined();
    expect(exports.ownFinally()).toBe("try");
    expect(exports.finallyOverrides()).toBe("finally");
    expect(() => exports.getterThrows()).toThrow(RangeError);
  });
});
