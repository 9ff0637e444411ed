/**
 * The claim checks on a hand-made chat-shaped trace (test/fixtures/export/chat-trace.ts):
 * each predicate of the vocabulary, held and not held, with the reason given.
 */
import { describe, expect, it } from "vitest";
import { withClaims, narrationOf } from "../../src/claims/apply.js";
import { tallyClaims } from "../../src/claims/tally.js";
import { evaluateStepClaims } from "../../src/claims/evaluate.js";
import type { Check, ClaimSpec } from "../../src/trace/claims-spec.js";
import type { Trace } from "../../src/trace/model.js";
import { decodeChunks } from "../../src/wire/decode-chunks.js";
import { chatTrace, RANDOM } from "../fixtures/export/chat-trace.js";

const trace: Trace = chatTrace();
const messages = decodeChunks(trace.chunks);

function outcome(stepId: string, check: Check) {
  const step = trace.steps.find((s) => s.id === stepId)!;
  return evaluateStepClaims(trace, messages, step, [{ say: "it", check }])[0];
}

describe("call checks", () => {
  it("hold when a call of the name ran in the step, and say which", () => {
    const result = outcome("init", { call: "Server.attach" });
    expect(result.status).toBe("held");
    expect(result.evidence?.length).toBe(1);
  });

  it("are not seen when the name ran only in another step, unless the scope is the run", () => {
    expect(outcome("init", { call: "Socket._onclose" })).toMatchObject({ status: "not-seen", reason: "no call of Socket._onclose in this step" });
    expect(outcome("init", { call: "Socket._onclose", scope: "whole-run" }).status).toBe("held");
  });

  it("follow nesting for under, and report a call that ran elsewhere", () => {
    expect(outcome("init", { call: "Server.attach", under: "Server.constructor" }).status).toBe("held");
    expect(outcome("message", { call: "Socket.onevent", under: "socketOnData" }).status).toBe("held");
    expect(outcome("init", { call: "Server.constructor", under: "Server.attach" })).toMatchObject({
      status: "not-seen",
      reason: "Server.constructor ran, but not under Server.attach",
    });
  });

  it("follow the call that scheduled an async continuation", () => {
    // The handshake's continuation was scheduled by the first handshake call, under the request listener.
    expect(outcome("connect", { call: "BaseServer.handshake", under: "<anonymous request listener in Server.attach>" }).status).toBe("held");
    // The ping timer was armed from the handshake (a timer link across steps).
    expect(outcome("heartbeat", { call: "<anonymous setTimeout callback in Socket.schedulePing>", under: "BaseServer.handshake" }).status).toBe("held");
  });

  it("notUnder holds only when some call ran outside the named one", () => {
    expect(outcome("message", { call: "Socket.onPacket", notUnder: "socketOnData" })).toMatchObject({ status: "not-seen", reason: "Socket.onPacket ran only under socketOnData" });
    expect(outcome("message", { call: "Socket.onPacket", notUnder: "Server.constructor" }).status).toBe("held");
  });

  it("match a package prefix and a parenthesised qualifier, never a mere prefix", () => {
    expect(outcome("init", { call: "socket.io:Server.attach" }).status).toBe("held");
    expect(outcome("init", { call: "engine.io:Server.attach" }).status).toBe("not-seen");
    expect(outcome("init", { call: "Server.att" }).status).toBe("not-seen");
  });

  it("match a name that carries its place or a qualifier beyond what the claim says", async () => {
    const { nameMatches } = await import("../../src/claims/call-index.js");
    const fn = (name: string) => ({ ...trace.functions[0], name });
    expect(nameMatches(fn("corsMiddleware in middlewareWrapper"), "corsMiddleware")).toBe(true);
    expect(nameMatches(fn("Server.on (Server[fn])"), "Server.on")).toBe(true);
    expect(nameMatches(fn("corsMiddlewareX"), "corsMiddleware")).toBe(false);
    expect(nameMatches(fn("Server.onconnection"), "Server.on")).toBe(false);
  });
});

describe("names by wildcard and by place", () => {
  it("`*` is any function, `pkg:*` any of that package's", async () => {
    const { nameMatches } = await import("../../src/claims/call-index.js");
    const fn = { ...trace.functions[0], name: "Server.attach", pkg: "socket.io" as const };
    expect(nameMatches(fn, "*")).toBe(true);
    expect(nameMatches(fn, "socket.io:*")).toBe(true);
    expect(nameMatches(fn, "app:*")).toBe(false);
    expect(outcome("init", { call: "socket.io:*" }).status).toBe("held");
  });

  it("a scoped package's prefix is a package, not a place: `@socket.io/admin-ui:instrument`", async () => {
    const { nameMatches } = await import("../../src/claims/call-index.js");
    const fn = { ...trace.functions[0], name: "instrument", pkg: "@socket.io/admin-ui" as const, file: "node_modules/@socket.io/admin-ui/dist/index.js", line: 415 };
    expect(nameMatches(fn, "@socket.io/admin-ui:instrument")).toBe(true);
    expect(nameMatches(fn, "@socket.io/admin-ui:*")).toBe(true);
    expect(nameMatches({ ...fn, pkg: "@socket.io/sticky" }, "@socket.io/admin-ui:instrument")).toBe(false);
    expect(nameMatches(fn, "@node_modules/@socket.io/admin-ui/dist/index.js:415")).toBe(true);
  });

  it("`@file:line` is the function declared at that line, by the path or its tail", async () => {
    const { nameMatches } = await import("../../src/claims/call-index.js");
    const fn = { ...trace.functions[0], name: "<anonymous connection listener in server.js>", pkg: "app" as const, file: "apps/narrated/server.js", line: 16 };
    expect(nameMatches(fn, "@apps/narrated/server.js:16")).toBe(true);
    expect(nameMatches(fn, "@server.js:16")).toBe(true);
    expect(nameMatches(fn, "@server.js:17")).toBe(false);
    expect(nameMatches(fn, "@erver.js:16")).toBe(false);
    const attach = trace.functions.find((f) => f.name === "Server.attach" && f.pkg === "socket.io")!;
    expect(outcome("init", { call: `@${attach.file}:${attach.line}` }).status).toBe("held");
  });
});

describe("sentences that quote a live value", () => {
  it("are not seen when the run gave no such value, pending while it goes on", () => {
    const step = trace.steps.find((s) => s.id === "init")!;
    const claims: ClaimSpec[] = [{ say: "under {nowhere}", check: { call: "Server.attach" } }];
    expect(evaluateStepClaims(trace, messages, step, claims)[0]).toMatchObject({ status: "not-seen", reason: "this run gave no value for nowhere", text: "under (none in this run)" });
    expect(evaluateStepClaims(trace, messages, step, claims, { final: false })[0].status).toBe("pending");
  });
});

describe("order checks", () => {
  it("hold for calls that began in the given order, and name the first one missing", () => {
    // The fixture numbers children before their parent, so the order is shown on siblings.
    expect(outcome("init", { order: ["Server.path", "get exports.Adapter", "Server.attach"] }).status).toBe("held");
    expect(outcome("init", { order: ["Server.attach", "Server.path"] })).toMatchObject({ status: "not-seen", reason: "no call of Server.path after Server.attach in this step" });
  });
});

describe("frame checks", () => {
  it("match layers: HTTP method and target, Engine.IO packet data, WebSocket opcode", () => {
    expect(outcome("connect", { frame: { dir: "in", method: "GET", target: "{path}/?EIO=4&transport=polling" } }).status).toBe("held");
    expect(outcome("connect", { frame: { dir: "out", eio: "open", data: { sid: "{sid}", pingInterval: "{pingInterval}" } } }).status).toBe("held");
    expect(outcome("connect", { frame: { dir: "out", eio: "open", data: { pingInterval: "25000" } } })).toMatchObject({ status: "not-seen" });
    expect(outcome("disconnect", { frame: { dir: "in", ws: "close", closeCode: null } }).status).toBe("held");
    expect(outcome("disconnect", { frame: { dir: "in", ws: "close", closeCode: 1000 } }).status).toBe("not-seen");
  });

  it("match Socket.IO packets inside polling bodies and WebSocket frames", () => {
    expect(outcome("connect", { frame: { dir: "in", method: "POST", sio: "CONNECT", nsp: "/" } }).status).toBe("held");
    expect(outcome("message", { frame: { dir: "in", ws: "text", sio: "EVENT", event: "chat message" } }).status).toBe("held");
    expect(outcome("message", { frame: { dir: "out", sio: "ACK" } }).status).toBe("held");
    expect(outcome("message", { frame: { dir: "out", sio: "CONNECT_ERROR" } }).status).toBe("not-seen");
  });

  it("writtenBy follows the call linked to the frame up its callers", () => {
    expect(outcome("message", { frame: { dir: "in", sio: "EVENT" }, writtenBy: "socketOnData" }).status).toBe("held");
    expect(outcome("heartbeat", { frame: { dir: "out", eio: "ping" }, writtenBy: "<anonymous setTimeout callback in Socket.schedulePing>" }).status).toBe("held");
    expect(outcome("heartbeat", { frame: { dir: "out", eio: "ping" }, writtenBy: "socketOnData" })).toMatchObject({ status: "not-seen" });
  });

  it("before compares wire order, and noFrame holds only when nothing matches", () => {
    expect(outcome("connect", { frame: { raw: "2probe" }, before: { raw: "3probe" } }).status).toBe("held");
    expect(outcome("connect", { frame: { raw: "3probe" }, before: { raw: "2probe" } }).status).toBe("not-seen");
    expect(outcome("message", { noFrame: { sio: "CONNECT_ERROR" } }).status).toBe("held");
    expect(outcome("message", { noFrame: { sio: "ACK" } }).status).toBe("not-seen");
  });

  it("beforeCall and afterCall place a frame against a call", () => {
    expect(outcome("connect", { frame: { dir: "in", method: "GET" }, beforeCall: "socketOnData" }).status).toBe("held");
    expect(outcome("connect", { frame: { raw: "5" }, afterCall: "BaseServer.handshake" }).status).toBe("held");
    expect(outcome("connect", { frame: { raw: "5" }, beforeCall: "BaseServer.handshake" }).status).toBe("not-seen");
  });

  it("fail, never match anything, when a placeholder has no live value", () => {
    expect(outcome("connect", { frame: { target: "{nothere}" } })).toMatchObject({ status: "not-seen", reason: "this run gave no value for nothere" });
  });
});

describe("values and combinations", () => {
  it("compare a live value with the text the claim says", () => {
    expect(outcome("init", { value: "pingInterval", equals: "1500" }).status).toBe("held");
    expect(outcome("init", { value: "pingInterval", equals: "25000" })).toMatchObject({ status: "not-seen", reason: "pingInterval is 1500, not 25000" });
  });

  it("all needs every part, any one, not the opposite", () => {
    const yes: Check = { call: "Server.attach" };
    const no: Check = { call: "Socket._onclose" };
    expect(outcome("init", { all: [yes, no] }).status).toBe("not-seen");
    expect(outcome("init", { any: [no, yes] }).status).toBe("held");
    expect(outcome("init", { not: no }).status).toBe("held");
    expect(outcome("init", { not: yes }).status).toBe("not-seen");
  });
});

describe("withClaims", () => {
  const claims: Record<string, ClaimSpec[]> = {
    connect: [
      { say: "The server answers the open packet with sid {sid}.", check: { frame: { dir: "out", eio: "open", data: { sid: "{sid}" } } } },
      { say: "The server refuses the client.", check: { frame: { dir: "out", sio: "CONNECT_ERROR" } } },
      { say: "This is how the protocol was designed.", because: "a design reason" },
    ],
  };

  it("narrates only what held or cannot be checked, and keeps what was not seen apart", () => {
    const checked = withClaims(trace, claims, { messages });
    const step = checked.steps.find((s) => s.id === "connect")!;
    expect(step.explanation).toBe(`The server answers the open packet with sid ${RANDOM.engineSid}.`);
    expect(step.explanation).not.toContain("refuses");
    expect(step.claims?.map((c) => c.status)).toEqual(["held", "not-seen", "unchecked"]);
    expect(step.claims?.[1].reason).toBe("no frame to the client Socket.IO CONNECT_ERROR in this step");
    expect(tallyClaims(checked)).toEqual({ held: 1, notSeen: 1, unchecked: 1, pending: 0 });
    expect(narrationOf(step.claims!)).toBe(step.explanation);
  });

  it("keeps a claim about the whole run pending while the run goes on, and decides it at the end", () => {
    const later: Record<string, ClaimSpec[]> = { init: [{ say: "Later a client refuses.", check: { frame: { sio: "CONNECT_ERROR" }, scope: "whole-run" } }, { say: "Here.", check: { call: "Socket._onclose" } }] };
    const going = withClaims(trace, later, { messages, final: false }).steps[0].claims!;
    expect(going.map((c) => c.status)).toEqual(["pending", "not-seen"]);
    expect(going[0].reason).toMatch(/^not yet: /);
    expect(withClaims(trace, later, { messages }).steps[0].claims!.map((c) => c.status)).toEqual(["not-seen", "not-seen"]);
  });

  it("keeps what the runner noted about a step when its narration is rebuilt from claims", () => {
    const noted: Trace = { ...trace, steps: trace.steps.map((s) => (s.id === "connect" ? { ...s, notes: ["the client failed: ECONNRESET"] } : s)) };
    const step = withClaims(noted, claims, { messages }).steps.find((s) => s.id === "connect")!;
    expect(step.explanation).toBe(`The server answers the open packet with sid ${RANDOM.engineSid}. (the client failed: ECONNRESET)`);
  });

  it("leaves steps without claims and traces without any untouched", () => {
    const checked = withClaims(trace, claims, { messages });
    expect(checked.steps[0]).toBe(trace.steps[0]);
    expect(withClaims(trace, {}, { messages })).toBe(trace);
  });
});

describe("claim lines and the summary", () => {
  it("show background and what was not seen apart from the narration, and count them", async () => {
    const { claimLines, claimsSummary } = await import("../../src/claims/claim-lines.js");
    const checked = withClaims(trace, {
      connect: [
        { say: "Seen.", check: { call: "BaseServer.handshake" } },
        { say: "Refused.", check: { frame: { sio: "CONNECT_ERROR" } } },
        { say: "Designed so.", because: "a design reason" },
      ],
    }, { messages });
    const step = checked.steps.find((s) => s.id === "connect")!;
    expect(claimLines(step.claims)).toEqual([
      { kind: "background", text: "Designed so.", reason: "a design reason" },
      { kind: "not-seen", text: "Refused.", reason: "no frame Socket.IO CONNECT_ERROR in this step" },
    ]);
    expect(claimsSummary(checked)).toBe("claims: 1 held on this run, 1 not seen, 1 background, not checkable by a run");
    expect(claimsSummary(trace)).toBeUndefined();
  });
});

describe("log checks", () => {
  it("hold when the server printed a line with the text since the step began, or anywhere with the run's scope", () => {
    // The fixture's server printed "connected: …" at 1600 ms, after every step began.
    const late = { ...trace, logs: trace.logs.map((l) => ({ ...l, time: l.time - 1590 })) };
    const last = trace.steps[trace.steps.length - 1];
    expect(last.started).toBeLessThan(1600);
    expect(outcome(last.id, { log: "server", includes: "connected:" }).status).toBe("held");
    const init = late.steps.find((s) => s.id === "init")!;
    const second = late.steps.find((s) => s.started > 10)!;
    expect(evaluateStepClaims(late, messages, init, [{ say: "it", check: { log: "server", includes: "connected:" } }])[0].status).toBe("held");
    expect(evaluateStepClaims(late, messages, second, [{ say: "it", check: { log: "server", includes: "connected:" } }])[0]).toMatchObject({
      status: "not-seen",
      reason: 'the server printed no line with "connected:" in this step',
    });
    expect(evaluateStepClaims(late, messages, second, [{ say: "it", check: { log: "server", includes: "connected:", scope: "whole-run" } }])[0].status).toBe("held");
  });

  it("read the client's lines only for the client, and fill live values", () => {
    expect(outcome("init", { log: "client", includes: "connected:", scope: "whole-run" })).toMatchObject({ status: "not-seen", reason: 'the client printed no line with "connected:" on this run' });
    expect(outcome("init", { log: "server", includes: "{nope}", scope: "whole-run" })).toMatchObject({ status: "not-seen", reason: "no live value for {nope}" });
  });
});
