import { describe, expect, it } from "vitest";
import type { FileScan } from "../../src/source/scan-functions.js";
import type { IndexedFunction } from "../../src/source/types.js";
import { matchUpstream } from "../../src/source/upstream-match.js";

function fn(name: string, line: number, extra: Partial<IndexedFunction> = {}): IndexedFunction {
  return { name, kind: "method", line, column: 3, endLine: line + 5, ...extra };
}

const scan: FileScan = {
  functions: [
    fn("Server.attach", 10, { className: "Server", member: "attach" }),
    fn("check in Server.attach", 12, { kind: "function", member: "check", enclosing: "Server.attach" }),
    fn("<anonymous request listener in Server.attach>", 14, { kind: "arrow", enclosing: "Server.attach" }),
    fn("<anonymous error listener in Server.attach>", 16, { kind: "arrow", enclosing: "Server.attach" }),
    fn("<anonymous error listener in Server.attach>", 17, { kind: "arrow", enclosing: "Server.attach" }),
    fn("Socket.readyState", 30, { kind: "getter", className: "Socket", member: "readyState" }),
    fn("Socket.readyState", 33, { kind: "setter", className: "Socket", member: "readyState" }),
  ],
  classes: [{ name: "Encoder", line: 40, endLine: 60 }],
};
const where = "lib/server.ts of socketio/socket.io at tag engine.io@1.0.0";

describe("matchUpstream", () => {
  it("matches members, functions and closures by name", () => {
    expect(matchUpstream({ name: "Server.attach", kind: "method", className: "Server", member: "attach" }, scan, where)).toEqual({
      found: true, line: 10, endLine: 15, target: "member",
    });
    expect(matchUpstream({ name: "check in Server.attach", kind: "function", enclosing: "Server.attach" }, scan, where)).toMatchObject({ line: 12, target: "function" });
    expect(matchUpstream({ name: "<anonymous request listener in Server.attach>", kind: "arrow", enclosing: "Server.attach" }, scan, where))
      .toMatchObject({ line: 14, target: "closure" });
  });

  it("tells a getter from its setter", () => {
    expect(matchUpstream({ name: "Socket.readyState", kind: "setter", className: "Socket", member: "readyState" }, scan, where))
      .toMatchObject({ line: 33 });
  });

  it("links the enclosing function for an ambiguous closure, and says why", () => {
    expect(matchUpstream({ name: "<anonymous error listener in Server.attach>", kind: "arrow", enclosing: "Server.attach" }, scan, where)).toEqual({
      found: true, line: 10, endLine: 15, target: "enclosing",
      reason: "the closure could not be matched by name (2 closures so named upstream); the link points at its enclosing function Server.attach",
    });
  });

  it("never links the enclosing member of a closure that is not upstream: it says only that it is not there", () => {
    // The enclosing Server.attach is upstream, the closures are not (added later, or never there): no link.
    expect(matchUpstream({ name: "<anonymous upgrade listener in Server.attach>", kind: "arrow", enclosing: "Server.attach" }, scan, where)).toEqual({
      found: false, reason: `<anonymous upgrade listener in Server.attach> is not in ${where}`,
    });
    expect(matchUpstream({ name: "destroy in Server.attach", kind: "closure", member: "destroy", enclosing: "Server.attach" }, scan, where)).toEqual({
      found: false, reason: `destroy in Server.attach is not in ${where}`,
    });
    for (const reason of [matchUpstream({ name: "Server.listen", kind: "method", className: "Server", member: "listen" }, scan, where)]) {
      expect(JSON.stringify(reason)).not.toMatch(/renamed|removed/);
    }
  });

  it("links the class when the constructor only exists in the compiled output", () => {
    expect(matchUpstream({ name: "Encoder.constructor", kind: "constructor", className: "Encoder", member: "constructor" }, scan, where))
      .toMatchObject({ found: true, line: 40, endLine: 60, target: "class" });
  });

  it("gives reasons, never a guessed line", () => {
    expect(matchUpstream({ name: "Server.listen", kind: "method", className: "Server", member: "listen" }, scan, where)).toEqual({
      found: false, reason: `Server.listen is not in ${where}`,
    });
    expect(matchUpstream({ name: "<anonymous close listener in Server.close>", kind: "arrow", enclosing: "Server.close" }, scan, where)).toEqual({
      found: false,
      reason: `<anonymous close listener in Server.close> is not in ${where}`,
    });
    expect(matchUpstream({ name: "__importDefault", kind: "function", generated: true }, scan, where)).toMatchObject({ found: false });
  });
});
