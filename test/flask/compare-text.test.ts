/**
 * `--compare` columns: pairing steps by id, depth and line limits, folding
 * resumed chains and repeats, cutting to the terminal width.
 */
import { describe, expect, it } from "vitest";
import { compareSteps, fit, pathName, renderCompare } from "../../src/export/compare-text.js";
import type { CallNode, FunctionInfo, Step, Trace } from "../../src/trace/model.js";
import { sampleDocs } from "./docs-fixture.js";

function fn(id: number, name: string, pkg = "socket.io", file = "x.js"): FunctionInfo {
  return { id, name, file, line: 1, column: 1, endLine: 2, pkg: pkg as FunctionInfo["pkg"], kind: "function" };
}

function node(seq: number, f: number, children: CallNode[] = [], extra: Partial<CallNode> = {}): CallNode {
  return { seq, fn: f, start: seq, end: seq, children, ...extra };
}

function step(index: number, id: string, calls: CallNode[], code?: string): Step {
  return {
    index, id, title: `${id}: title`, explanation: "", values: {}, started: 0, ended: 0, calls, chunks: [],
    ...(code ? { code: { file: "app", line: index + 1, text: code, side: "server" as const } } : {}),
  };
}

function trace(functions: FunctionInfo[], steps: Step[], packages: Record<string, string>): Trace {
  return {
    meta: { schema: "trace-socket", version: 1, tool: "0", node: "v20", platform: "linux", startedAt: "", command: "", scenario: "t", packages },
    functions, steps, connections: [], chunks: [], logs: [], dropped: { calls: 0, chunks: 0, bytes: 0, logs: 0 },
  };
}

const nodeTrace = trace(
  [fn(0, "Server.constructor"), fn(1, "Server.attach"), fn(2, "Server.on")],
  [step(0, "init", [node(1, 0, [node(2, 1)])], "new Server(httpServer)"), step(1, "handlers", [node(3, 2)])],
  { "socket.io": "4.8.1" },
);

const pyTrace = trace(
  [
    fn(0, "SocketIO.__init__", "flask_socketio"), fn(1, "SocketIO.init_app", "flask_socketio"), fn(2, "SocketIO.on.<locals>.decorator", "flask_socketio"),
    fn(3, "Server.on", "socketio"), fn(4, "GreenSocket.accept", "eventlet", "/usr/lib/python3/dist-packages/eventlet/greenio/base.py"),
    fn(5, "server", "eventlet", "/usr/lib/python3/dist-packages/eventlet/wsgi.py"), fn(6, "Packet.encode", "engineio"),
  ],
  [
    step(0, "init", [node(1, 0, [node(2, 1)])], "socketio = SocketIO(app)"),
    step(1, "handlers", [node(3, 2, [node(4, 3)])]),
    step(2, "connect", [
      node(10, 5, [node(11, 4, [], { detached: true, async: { kind: "other", from: 2 } })], { detached: true, async: { kind: "other", from: 1 } }),
      node(12, 6), node(13, 6), node(14, 6),
    ]),
  ],
  { flask_socketio: "5.3.2", python: "3.11.2" },
);

describe("compareSteps", () => {
  it("pairs steps by id and gives each side its user line and call tree", () => {
    const steps = compareSteps(nodeTrace, pyTrace);
    expect(steps.map((s) => s.id)).toEqual(["init", "handlers", "connect"]);
    expect(steps[0].node).toEqual(["app:1  new Server(httpServer)", "Server.constructor", "  Server.attach"]);
    expect(steps[0].python).toEqual(["app:1  socketio = SocketIO(app)", "SocketIO.__init__", "  SocketIO.init_app"]);
    expect(steps[1].python).toEqual(["(no user code: the library acts on its own)", "SocketIO.on › decorator", "  Server.on"]);
    expect(steps[2].node).toEqual(["(no such step on this side)"]);
  });

  it("folds eventlet's green plumbing, resumed chains and repeated leaf calls", () => {
    const [, , connect] = compareSteps(nodeTrace, pyTrace);
    // GreenSocket.accept is plumbing: hidden. server (resumed) stays; three Packet.encode in a row are one line.
    expect(connect.python.slice(1)).toEqual(["server (resumed)", "Packet.encode ×3"]);
  });

  it("cuts to maxDepth and maxLines and counts what it left out", () => {
    const [init] = compareSteps(nodeTrace, pyTrace, { maxDepth: 0 });
    expect(init.node).toEqual(["app:1  new Server(httpServer)", "Server.constructor", "… 1 more call"]);
    const [, handlers] = compareSteps(nodeTrace, pyTrace, { maxLines: 1 });
    expect(handlers.python.at(-1)).toBe("… 1 more call");
  });
});

describe("renderCompare", () => {
  it("lays both columns side by side within the width", () => {
    const text = renderCompare(nodeTrace, pyTrace, { width: 60 });
    for (const line of text.split("\n")) expect([...line].length).toBeLessThanOrEqual(60);
    expect(text).toContain("Server.constructor");
    expect(text).toMatch(/Server\.constructor\s+│ SocketIO\.__init__/);
    expect(text).toContain("━━ Step 1/3 · init");
  });

  it("cuts long cells with an ellipsis", () => {
    expect(fit("abcdef", 4)).toBe("abc…");
    expect(fit("ab", 4)).toBe("ab  ");
    expect(pathName({ name: "SocketIO.run.<locals>.run_server" }, 1)).toBe("SocketIO.run › run_server");
  });

  it("puts the Python docstrings under a step, one line each, within the width", () => {
    const lines = renderCompare(nodeTrace, pyTrace, { width: 100, docs: sampleDocs() }).split("\n");
    const at = lines.findIndex((l) => l.startsWith("  library method flask_socketio.SocketIO(app=None, **kwargs)"));
    expect(at).toBeGreaterThan(lines.indexOf("━━ Step 1/3 · init"));
    expect(at).toBeLessThan(lines.indexOf("━━ Step 2/3 · handlers"));
    expect(lines[at + 1]).toMatch(/^ {10}method flask_socketio\.SocketIO\.init_app\(\)/);
    for (const line of lines) expect([...line].length).toBeLessThanOrEqual(100);
    const missing = renderCompare(nodeTrace, pyTrace, { width: 100, docs: { packages: {}, names: {}, reason: "no \x1b[31mpython" } });
    expect(missing).toContain("Python docstrings not quoted: no \\x1b[31mpython");
  });
});

describe("what each side says, beside the columns", () => {
  const said = (t: Trace): Trace => ({
    ...t,
    steps: t.steps.map((s) => (s.id !== "init" ? s : {
      ...s,
      explanation: `${s.id} narrated on ${t === nodeTrace ? "node" : "python"}.`,
      claims: [
        { text: `${s.id} narrated on ${t === nodeTrace ? "node" : "python"}.`, status: "held" as const },
        { text: "A sentence no run shows.", status: "unchecked" as const, reason: "a design reason" },
        { text: "A sentence this run did not show.", status: "not-seen" as const, reason: "no call of X in this step" },
      ],
    })),
  });

  it("gives each side's narration and its background and not-seen lines with their reasons", () => {
    const init = compareSteps(said(nodeTrace), said(pyTrace)).find((s) => s.id === "init")!;
    expect(init.said.python).toEqual({
      narration: "init narrated on python.",
      lines: [
        { kind: "background", text: "A sentence no run shows.", reason: "a design reason" },
        { kind: "not-seen", text: "A sentence this run did not show.", reason: "no call of X in this step" },
      ],
    });
  });

  it("prints them under the step's columns, whole (wrapped, never cut), labelled by side", () => {
    const text = renderCompare(said(nodeTrace), said(pyTrace), { width: 60 });
    const init = text.split("━━ Step 2/")[0];
    expect(init).toContain("socket.io: init narrated on node.");
    expect(init).toContain("Flask-SocketIO: init narrated on python.");
    expect(init.replace(/\n\s+/g, " ")).toContain("not seen on this run (Flask-SocketIO): A sentence this run did not show. (no call of X in this step)");
    expect(init.replace(/\n\s+/g, " ")).toContain("background (not something a run shows) (socket.io): A sentence no run shows. (a design reason)");
    expect(text.split("\n").every((line) => line.length <= 60)).toBe(true);
  });
});
