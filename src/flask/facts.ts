/**
 * The checked facts of `FLASK-SOCKETIO.md`, checked again on every Flask
 * trace: which branch `decorator` took, what `SocketIO.__init__` calls, which
 * async mode `run()` picked, who performs the WebSocket upgrade. Each check
 * reads only the trace and the installed source lines the trace points at, so
 * it holds (or fails, visibly) for whatever version is installed.
 *
 * Pure: source text comes in through `readLine`.
 */
import type { CallNode, Step, Trace } from "../trace/model.js";
import type { PyCallNode } from "./call-tree.js";
import type { WideFunctionInfo } from "./protocol.js";

/** One fact and whether this trace bears it out. */
export interface FactCheck {
  readonly id: string;
  /** The fact, in one sentence. */
  readonly claim: string;
  readonly ok: boolean;
  /** What in the trace shows it (or what was missing). */
  readonly evidence: string;
}

/** Reads line `line` (1-based) of an installed file; undefined when unreadable. */
export type LineReader = (file: string, line: number) => string | undefined;

interface Found {
  readonly node: PyCallNode;
  readonly fn: WideFunctionInfo;
  readonly parent?: Found;
}

function calls(trace: Trace, step: Step | undefined): Found[] {
  if (!step) return [];
  const functions = new Map<number, WideFunctionInfo>(trace.functions.map((f) => [f.id, f]));
  const out: Found[] = [];
  const pending: [CallNode, Found | undefined][] = [...step.calls].reverse().map((n) => [n, undefined]);
  while (pending.length) {
    const [node, parent] = pending.pop()!;
    const fn = functions.get(node.fn);
    const found: Found | undefined = fn ? { node: node as PyCallNode, fn, parent } : parent;
    if (fn) out.push(found!);
    for (let i = node.children.length - 1; i >= 0; i--) pending.push([node.children[i], found]);
  }
  return out;
}

function where(found: Found): string {
  return `${found.fn.file}:${found.fn.line}`;
}

function under(found: Found, test: (f: Found) => boolean): Found | undefined {
  for (let p = found.parent; p; p = p.parent) if (test(p)) return p;
  return undefined;
}

function is(pkg: string, name: string): (f: Found) => boolean {
  return (f) => f.fn.pkg === pkg && f.fn.name === name;
}

function callLine(found: Found, read: LineReader): string | undefined {
  const caller = found.parent;
  if (!caller || found.node.at === undefined) return undefined;
  return read(caller.fn.file, found.node.at)?.trim();
}

function check(id: string, claim: string, evidence: string | undefined, missing: string): FactCheck {
  return { id, claim, ok: evidence !== undefined, evidence: evidence ?? missing };
}

/** Checks the facts on a trace of the Flask scenario. */
export function checkFlaskFacts(trace: Trace, readLine: LineReader): FactCheck[] {
  const step = (id: string): Step | undefined => trace.steps.find((s) => s.id === id);
  const out: FactCheck[] = [];

  const init = calls(trace, step("init"));
  const initApp = init.find((f) => is("flask_socketio", "SocketIO.init_app")(f) && under(f, is("flask_socketio", "SocketIO.__init__")));
  const middleware = init.find((f) => is("flask_socketio", "_SocketIOMiddleware.__init__")(f) && initApp && under(f, (p) => p === initApp));
  const server = init.find((f) => f.fn.pkg === "socketio" && f.fn.name === "Server.__init__" && initApp && under(f, (p) => p === initApp));
  out.push(
    check(
      "init-app-at-once",
      "SocketIO(app, …) calls init_app at once, which builds socketio.Server and wraps app.wsgi_app in _SocketIOMiddleware",
      initApp && middleware && server
        ? `SocketIO.__init__ → SocketIO.init_app (${where(initApp)}) → socketio Server.__init__ (${where(server)}) and _SocketIOMiddleware.__init__ (${where(middleware)})`
        : undefined,
      "the init step lacks SocketIO.__init__ → init_app → Server.__init__ / _SocketIOMiddleware.__init__",
    ),
  );

  const handlers = calls(trace, step("handlers"));
  const registered = handlers.filter((f) => f.fn.pkg === "socketio" && f.fn.name === "Server.on" && f.parent?.fn.pkg === "flask_socketio" && f.parent.fn.member === "decorator");
  const branch = registered.map((f) => ({ f, text: callLine(f, readLine) }));
  const serverBranch = branch.find((b) => b.text?.includes("self.server.on("));
  const appendBranch = branch.find((b) => b.text?.includes("handlers.append"));
  out.push(
    check(
      "decorator-server-branch",
      "@socketio.on takes decorator's self.server.on(...) branch (the server exists), not self.handlers.append",
      serverBranch && !appendBranch
        ? `decorator (${where(serverBranch.f.parent!)}) called socketio Server.on from line ${serverBranch.f.node.at}: \`${serverBranch.text}\`; the else branch (handlers.append) did not run`
        : undefined,
      registered.length ? `decorator called Server.on from: ${branch.map((b) => `line ${b.f.node.at} \`${b.text ?? "?"}\``).join(", ")}` : "no call from decorator to socketio Server.on in the handlers step",
    ),
  );

  const run = calls(trace, step("run"));
  const runServer = run.find((f) => f.fn.pkg === "flask_socketio" && f.fn.member === "run_server" && f.fn.enclosing === "SocketIO.run");
  const branchLine = runServer ? readLine(runServer.fn.file, runServer.fn.line - 1)?.trim() : undefined;
  const wsgiServer = run.find((f) => f.fn.pkg === "eventlet" && f.fn.name === "server" && f.fn.file.endsWith("eventlet/wsgi.py") && runServer && under(f, (p) => p === runServer));
  out.push(
    check(
      "run-eventlet",
      "socketio.run() takes the eventlet branch and serves with eventlet.wsgi.server",
      runServer && branchLine?.includes("'eventlet'") && wsgiServer
        ? `run_server (${where(runServer)}) is defined under \`${branchLine}\` and calls eventlet.wsgi server (${where(wsgiServer)})`
        : undefined,
      "the run step lacks run_server under the eventlet branch → eventlet.wsgi.server",
    ),
  );
  const runCall = runServer ? callLine(runServer, readLine) : undefined;
  out.push(
    check(
      "run-without-reloader",
      "without debug, run() calls run_server() itself; run_with_reloader(run_server) is the debug=True path",
      runServer && runCall !== undefined && runCall.startsWith("run_server(") ? `SocketIO.run called run_server from line ${runServer.node.at}: \`${runCall}\`` : undefined,
      runCall ? `run_server was called from \`${runCall}\`` : "no call of run_server from SocketIO.run",
    ),
  );

  const connect = calls(trace, step("connect"));
  const upgrade = connect.find(
    (f) => f.fn.pkg === "eventlet" && f.fn.name === "WebSocketWSGI.__call__" && under(f, (p) => p.fn.pkg === "engineio" && p.fn.name === "Socket._upgrade_websocket"),
  );
  out.push(
    check(
      "upgrade-in-engineio",
      "the WebSocket upgrade is made inside python-engineio (its eventlet driver wraps eventlet's WebSocketWSGI), not by eventlet.wsgi.server",
      upgrade ? `eventlet WebSocketWSGI.__call__ (${where(upgrade)}) runs under engineio Socket._upgrade_websocket` : undefined,
      "the connect step lacks engineio Socket._upgrade_websocket → eventlet WebSocketWSGI.__call__",
    ),
  );
  return out;
}
