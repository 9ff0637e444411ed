/**
 * The claim checks on source lines, on a hand-made Python-shaped trace (the
 * tracer records the caller's line of each call, `at`): `calledFrom` (the line
 * a call was made from, and by whom) and `lineAbove` (the branch a function is
 * defined in), held and not, with the reason given.
 */
import { describe, expect, it } from "vitest";
import { evaluateStepClaims } from "../../src/claims/evaluate.js";
import type { Check } from "../../src/trace/claims-spec.js";
import { validateClaims } from "../../src/trace/claims-validate.js";
import type { CallNode, FunctionInfo, Step, Trace } from "../../src/trace/model.js";

const INIT = "/py/flask_socketio/__init__.py";
const fn = (id: number, name: string, line: number, pkg: FunctionInfo["pkg"] = "flask_socketio"): FunctionInfo => ({ id, name, file: INIT, line, column: 1, endLine: line + 20, pkg, kind: "function" });
const functions = [fn(0, "SocketIO.on.<locals>.decorator", 280), fn(1, "Server.on", 100, "socketio"), fn(2, "SocketIO.run", 600), fn(3, "SocketIO.run.<locals>.run_server", 654)];
const node = (seq: number, f: number, children: CallNode[] = [], at?: number): CallNode => ({ seq, fn: f, start: seq, end: seq + 1, children, ...(at !== undefined ? { at } : {}) });
const step: Step = {
  index: 0, id: "s", title: "s", explanation: "", values: {}, started: 0, ended: 10, chunks: [],
  calls: [node(1, 0, [node(2, 1, [], 286)]), node(3, 2, [node(4, 3, [], 685)])],
};
const trace = { functions, steps: [step], chunks: [], connections: [] } as unknown as Trace;
const SOURCE: Readonly<Record<number, string>> = { 286: "            self.server.on(message, _handler)", 653: "        elif self.server.eio.async_mode == 'eventlet':", 685: "                run_server()" };
const read = (file: string, line: number): string | undefined => (file === INIT ? SOURCE[line] : undefined);

function outcome(check: Check, readLine: typeof read | null = read) {
  return evaluateStepClaims(trace, [], step, [{ say: "it", check }], readLine ? { readLine } : {})[0];
}

describe("calledFrom", () => {
  it("holds when the caller's line passes the test, by the caller named", () => {
    expect(outcome({ call: "socketio:Server.on", calledFrom: { by: "SocketIO.on.<locals>.decorator", includes: "self.server.on(" } })).toMatchObject({ status: "held", evidence: [2] });
    expect(outcome({ call: "SocketIO.run.<locals>.run_server", calledFrom: { startsWith: "run_server(" } }).status).toBe("held");
  });

  it("names the line it was called from when that line says otherwise", () => {
    expect(outcome({ call: "Server.on", calledFrom: { includes: "handlers.append" } })).toMatchObject({
      status: "not-seen",
      reason: "Server.on was called from `self.server.on(message, _handler)`, not a line that includes \"handlers.append\"",
    });
  });

  it("says so when another function called it, or when the line cannot be read", () => {
    expect(outcome({ call: "Server.on", calledFrom: { by: "SocketIO.run", includes: "on(" } })).toMatchObject({ status: "not-seen", reason: "Server.on ran, but was not called by SocketIO.run" });
    expect(outcome({ call: "Server.on", calledFrom: { includes: "on(" } }, null).reason).toBe("the line Server.on was called from is not known (no source reader)");
    expect(outcome({ call: "Server.on", calledFrom: { includes: "on(" } }, () => undefined).reason).toMatch(/^the line Server\.on was called from is not known \(no call line recorded/);
  });
});

describe("lineAbove", () => {
  it("holds when the line above the function's declaration passes the test", () => {
    expect(outcome({ call: "SocketIO.run.<locals>.run_server", lineAbove: { includes: "'eventlet'" } }).status).toBe("held");
  });

  it("names the line above when it is another branch, and says when it cannot be read", () => {
    expect(outcome({ call: "SocketIO.run.<locals>.run_server", lineAbove: { includes: "'gevent'" } }).reason).toBe(
      "SocketIO.run.<locals>.run_server is declared below `elif self.server.eio.async_mode == 'eventlet':`, not a line that includes \"'gevent'\"",
    );
    expect(outcome({ call: "Server.on", lineAbove: { includes: "x" } }).reason).toBe("the line above Server.on cannot be read");
  });
});

describe("validation of line tests", () => {
  it("names the field of a line test without includes or startsWith, or with a stray field", () => {
    expect(() => validateClaims({ s: [{ say: "x", check: { call: "f", calledFrom: { by: "g" } } }] }, "c.json")).toThrow("c.json: s[0].check.calledFrom: a line test needs includes or startsWith");
    expect(() => validateClaims({ s: [{ say: "x", check: { call: "f", lineAbove: { includes: "a", by: "g" } } }] }, "c.json")).toThrow("c.json: s[0].check.lineAbove.by: unknown field (expected includes, startsWith)");
    expect(validateClaims({ s: [{ say: "x", check: { call: "f", calledFrom: { by: "g", startsWith: "f(" } } }] }, "c.json").s).toHaveLength(1);
  });
});
