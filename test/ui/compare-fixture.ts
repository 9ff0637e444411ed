/**
 * A small Flask-SocketIO trace of the fixture chat's steps, for the compare
 * pane: `init` and `connect` on both sides, `message` only on the Node side,
 * `flask-only` only here; `extraCalls` adds that many (alternating, so never folded) calls to step `init`.
 */
import type { CallNode, FunctionInfo, Step, Trace } from "../../src/trace/model.js";
import { fixtureTrace } from "../helpers/trace-fixture.js";

const FUNCTIONS: readonly Omit<FunctionInfo, "id">[] = [
  { name: "SocketIO.__init__", file: "/usr/lib/python3/dist-packages/flask_socketio/__init__.py", line: 160, column: 1, endLine: 200, pkg: "flask_socketio" as FunctionInfo["pkg"], kind: "method" },
  { name: "Server.__init__", file: "/usr/lib/python3/dist-packages/socketio/server.py", line: 100, column: 1, endLine: 140, pkg: "socketio" as FunctionInfo["pkg"], kind: "method" },
  { name: "Server.handle_request", file: "/usr/lib/python3/dist-packages/engineio/server.py", line: 300, column: 1, endLine: 380, pkg: "engineio" as FunctionInfo["pkg"], kind: "method" },
];

function call(seq: number, fn: number, children: CallNode[] = []): CallNode {
  return { seq, fn, start: seq, end: seq + 1, children };
}

function step(index: number, id: string, title: string, calls: CallNode[], code?: string): Step {
  return {
    index, id, title, explanation: "", values: {}, started: 0, ended: 0, calls, chunks: [],
    ...(code ? { code: { file: "traces/chat-flask/app.py", line: 12, text: code, side: "server" as const } } : {}),
  };
}

/** The Flask side of the fixture chat. */
export function flaskFixtureTrace(options: { readonly extraCalls?: number } = {}): Trace {
  const node = fixtureTrace();
  const extra = Array.from({ length: options.extraCalls ?? 0 }, (_, i) => call(100 + i, 1 + (i % 2)));
  return {
    ...node,
    meta: { ...node.meta, scenario: "chat-flask", packages: { flask_socketio: "5.3.6", socketio: "5.11.1", engineio: "4.9.0", python: "3.13.5" } },
    functions: FUNCTIONS.map((f, id) => ({ ...f, id })),
    steps: [
      step(0, "init", "init: SocketIO(app)", [call(1, 0, [call(2, 1)]), ...extra], "socketio = SocketIO(app)"),
      step(1, "connect", "connect: the client calls io(url)", [call(3, 2)]),
      step(2, "flask-only", "flask-only: a step the Node chat lacks", [call(4, 2)]),
    ],
    chunks: [],
    logs: [],
  };
}
