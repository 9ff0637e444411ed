/**
 * Steps of a user's own app, derived from what it did: each line of the app
 * that called into socket.io during start-up (and each `listen`) becomes a step
 * with that line; the built-in client's actions follow as live steps.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { CallSite } from "../instrument/call-sites.js";
import type { FunctionInfo, UserCode } from "../trace/model.js";
import type { StepDefinition } from "../trace/scenario.js";
import type { RecordView } from "../trace/call-tree.js";
import { OP } from "../instrument/recorder.js";
import type { AppServer } from "./app-state.js";

/** How the built-in client behaves when tracing an app. */
export interface AppClientOptions {
  readonly namespace: string;
  readonly transports?: readonly string[];
  readonly auth?: Readonly<Record<string, unknown>>;
  /** In command-line order; `ack`: emitted with an ack callback, waited for. */
  readonly emits: readonly { readonly event: string; readonly args: readonly unknown[]; readonly ack: boolean }[];
  /** How long each ack is waited for (default 3000 ms). */
  readonly timeoutMs?: number;
  /** Sent with every HTTP request and the WebSocket handshake (`--header`, `--cookie`), names in lower case. */
  readonly headers?: Readonly<Record<string, string>>;
  /** Added to the handshake URL's query (`--query`). */
  readonly query?: Readonly<Record<string, string>>;
}

/** The wait for an ack when `--timeout` does not say. */
export const ACK_TIMEOUT_MS = 3000;

/** What the built-in client process is given, in `TRACE_SOCKET_APP_CLIENT`. */
export interface AppClientConfig extends AppClientOptions {
  readonly url: string;
  /** The server's path (socket.io's `path` option), read from the live server. */
  readonly path: string;
  /** The transports to try: the user's, else those the server accepts that a client can use. */
  readonly transports: readonly string[];
  /** What the server offers, for the line that says why a connection failed. */
  readonly offered: Pick<AppServer, "transports" | "namespaces" | "dynamic">;
  /** Index of the client's first step in the run. */
  readonly firstStep: number;
}

const CLIENT_TRANSPORTS = ["polling", "websocket"];

/** The built-in client's configuration against `server`, as the live server says it is. */
export function appClientConfig(client: AppClientOptions, server: AppServer, firstStep: number): AppClientConfig {
  const usable = server.transports.filter((t) => CLIENT_TRANSPORTS.includes(t));
  return {
    ...client,
    url: server.listening ?? "",
    path: server.path,
    transports: client.transports ?? (usable.length ? usable : CLIENT_TRANSPORTS),
    offered: { transports: server.transports, namespaces: server.namespaces, dynamic: server.dynamic },
    firstStep,
  };
}

/** A start-up step found in the record stream. */
export interface DerivedStep extends StepDefinition {
  /** Seq of the first call-site record of the step. */
  readonly siteSeq: number;
}

interface Kind {
  readonly id: string;
  readonly title: (text: string) => string;
  readonly explanation: string;
  readonly docs: StepDefinition["docs"];
}

const KINDS: Record<string, Kind> = {
  init: {
    id: "init",
    title: (t) => `init: ${t}`,
    explanation:
      "The socket.io Server is constructed: defaults are filled in (path, connectTimeout, serveClient, the adapter), the main namespace is created, and when an http.Server is given it attaches at once — engine.io builds its server (here pingInterval {pingInterval} ms, as the open packet later tells) and takes over the HTTP server's request and upgrade listeners, so requests under {path} go to engine.io.",
    docs: { options: ["path", "cors", "pingInterval", "pingTimeout", "transports"], methods: ["Server.attach"] },
  },
  attach: {
    id: "attach",
    title: (t) => `attach: ${t}`,
    explanation: "The Server attaches to an HTTP server: engine.io takes over its request and upgrade listeners (the app-factory form of new Server(httpServer)).",
    docs: { options: ["path"], methods: ["Server.attach", "Server.listen"] },
  },
  middleware: {
    id: "middleware",
    title: (t) => `middleware: ${t}`,
    explanation: "use() pushes the function onto the namespace's middleware list; it runs per connection, and next(err) answers with CONNECT_ERROR.",
    docs: { options: [], methods: ["Server.use", "Namespace.use"] },
  },
  "engine-middleware": {
    id: "engine-middleware",
    title: (t) => `engine middleware: ${t}`,
    explanation:
      "io.engine.use() adds an HTTP-level middleware to engine.io (a connect/express-style (req, res, next) function): it runs on every HTTP request under {path} — each polling request and the WebSocket upgrade — before engine.io handles it, and one that answers itself (401, 403…) refuses the request before any Engine.IO session or Socket.IO CONNECT exists.",
    docs: { options: [], methods: ["BaseServer.use"] },
  },
  namespace: {
    id: "namespace",
    title: (t) => `namespace: ${t}`,
    explanation:
      "io.of(name) creates the namespace (or returns it if it exists): a Namespace with its own adapter (rooms), middleware list and sockets. From now on a client's CONNECT to that name is accepted; connecting to a name no namespace has is answered with CONNECT_ERROR \"Invalid namespace\".",
    docs: { options: [], methods: ["Server.of"] },
  },
  handlers: {
    id: "handlers",
    title: (t) => `handler registration: ${t}`,
    explanation: "A listener is registered on a namespace's EventEmitter (io.on delegates to the main namespace \"/\"; io.of(name) creates or finds another namespace).",
    docs: { options: [], methods: ["Server.on", "Server.of", "Namespace.on"] },
  },
  run: {
    id: "run",
    title: (t) => `run: ${t}`,
    explanation: "The HTTP server listens ({address}); engine.io's listening listener creates its ws server.",
    docs: { options: ["wsEngine"], methods: [] },
  },
  load: {
    id: "load",
    title: (t) => `load: ${t}`,
    explanation: "Loading socket.io runs library code before the app calls any of it: module-level set-up of socket.io, engine.io, the parsers, ws and cors (and the compiler's import helpers).",
    docs: { options: [], methods: [] },
  },
  call: {
    id: "call",
    title: (t) => `call: ${t}`,
    explanation: "The app calls into socket.io during start-up.",
    docs: { options: [], methods: [] },
  },
};

function kindOf(site: CallSite, fn: FunctionInfo | undefined, text: string): Kind {
  if (site.callee === "listen") return KINDS.run;
  if (fn?.generated || /\brequire\(|\bimport\b/.test(text)) return KINDS.load;
  const name = fn?.name ?? "";
  if (fn?.pkg === "socket.io" && name === "Server.constructor") return KINDS.init;
  if (name === "Server.attach" || name === "Server.listen") return KINDS.attach;
  if (fn?.pkg === "engine.io" && name.endsWith(".use")) return KINDS["engine-middleware"];
  if (name.endsWith(".use")) return KINDS.middleware;
  if (name === "Server.of") {
    // `io.of("/x").use(…)` and `io.of("/x").on(…)` are what the line is for; the namespace comes with them.
    const chained = /\.of\([^)]*\)\s*\.(\w+)\s*\(/.exec(text)?.[1];
    if (chained === "use") return KINDS.middleware;
    if (chained === "on" || chained === "once") return KINDS.handlers;
    return KINDS.namespace;
  }
  // `Server.on (Server[fn])`: socket.io's loop-defined delegates are named after the member that ran.
  const ran = name.replace(/ \(.*\)$/, "");
  if (ran.endsWith(".on") || ran.endsWith(".once")) return KINDS.handlers;
  return KINDS.call;
}

function lineText(root: string, site: CallSite): string {
  try {
    return readFileSync(join(root, site.file), "utf8").split("\n")[site.line - 1]?.trim() ?? "";
  } catch {
    return "";
  }
}

/**
 * Cuts the start-up into steps at the call-site records: consecutive records of
 * the same line form one step (`io.of("/admin").use(fn)` is one line, one step).
 * A listen line is noted when called and again when its server emits
 * `listening`: its step starts at the last, so what listening runs (engine.io's
 * init, the app's callback) is that step's, not the step of a later line.
 */
export function deriveStartupSteps(
  siteRecords: readonly { readonly seq: number; readonly site: number }[],
  sites: ReadonlyMap<number, CallSite>,
  fn: (id: number) => FunctionInfo | undefined,
  projectRoot: string,
): DerivedStep[] {
  const steps: DerivedStep[] = [];
  let lastLine = "";
  const counts = new Map<string, number>();
  const lastListen = new Map<number, number>();
  for (const record of siteRecords) if (sites.get(record.site)?.callee === "listen") lastListen.set(record.site, record.seq);
  for (const record of siteRecords) {
    const site = sites.get(record.site);
    if (!site) continue;
    if (site.callee === "listen" && lastListen.get(record.site) !== record.seq) continue;
    const lineKey = `${site.file}:${site.line}`;
    if (lineKey === lastLine) continue;
    lastLine = lineKey;
    const text = lineText(projectRoot, site);
    const kind = kindOf(site, typeof site.callee === "number" ? fn(site.callee) : undefined, text);
    const n = (counts.get(kind.id) ?? 0) + 1;
    counts.set(kind.id, n);
    const code: UserCode = { file: site.file, line: site.line, text, side: "server" };
    steps.push({
      id: n === 1 ? kind.id : `${kind.id}-${n}`,
      title: kind.title(text.length > 60 ? `${text.slice(0, 57)}…` : text),
      side: "server",
      explanation: kind.explanation,
      docs: kind.docs,
      flask: "",
      code,
      siteSeq: record.seq,
    });
  }
  return steps;
}

/** The built-in client's steps when tracing an app. */
export function clientSteps(client: AppClientOptions, server: AppServer): StepDefinition[] {
  const config = appClientConfig(client, server, 0);
  const url = `${config.url}${client.namespace === "/" ? "" : client.namespace}`;
  const options: Record<string, unknown> = {};
  if (config.path !== "/socket.io") options.path = config.path;
  if (client.transports || config.transports.join() !== CLIENT_TRANSPORTS.join()) options.transports = config.transports;
  if (client.auth) options.auth = client.auth;
  if (client.query && Object.keys(client.query).length) options.query = client.query;
  if (client.headers && Object.keys(client.headers).length) options.extraHeaders = client.headers;
  const connectText = `io(${JSON.stringify(url)}${Object.keys(options).length ? `, ${JSON.stringify(options)}` : ""})`;
  const side = "client" as const;
  const code = (text: string): UserCode => ({ file: "(built-in client)", line: 0, text, side });
  return [
    {
      id: "connect",
      title: `connect: ${connectText}`,
      side,
      waitFor: undefined,
      explanation:
        "The built-in client connects: the Engine.IO handshake (sid {sid}), the Socket.IO CONNECT through the namespace's middlewares to the connection handlers — or a CONNECT_ERROR if a middleware refuses — and, with both transports, the upgrade to WebSocket.",
      docs: { options: ["transports", "allowUpgrades"], methods: [] },
      flask: "",
      code: code(connectText),
    },
    ...client.emits.map((emit, i): StepDefinition => {
      const text = `socket.${emit.ack ? "emitWithAck" : "emit"}(${[JSON.stringify(emit.event), ...emit.args.map((a) => JSON.stringify(a))].join(", ")})`;
      return {
        id: i === 0 ? "emit" : `emit-${i + 1}`,
        title: `emit: ${text.length > 70 ? `${text.slice(0, 67)}…` : text}`,
        side,
        explanation: emit.ack
          ? "The client emits an event with an ack callback; the server decodes it, runs the socket's middlewares and the handlers registered for it, and the ack (if the handler calls it) travels back."
          : "The client emits an event without an ack: the server decodes it and runs the socket's middlewares and the handlers registered for it; nothing is sent back for it.",
        docs: { options: [], methods: [] },
        flask: "",
        code: code(text),
      };
    }),
    {
      id: "disconnect",
      title: "disconnect: socket.disconnect()",
      side,
      waitFor: "close",
      explanation: "The client sends DISCONNECT and closes the transport; the server runs its disconnect handlers and cleans up.",
      docs: { options: [], methods: [] },
      flask: "",
      code: code("socket.disconnect()"),
    },
  ];
}

/**
 * The start-up steps of a recording: one per line of the app that called in,
 * preceded by a `load` step when library code ran before the app's first call
 * (module-level set-up while socket.io loads).
 */
export function stepsFromRecording(
  records: RecordView,
  sites: ReadonlyMap<number, CallSite>,
  fn: (id: number) => FunctionInfo | undefined,
  projectRoot: string,
): DerivedStep[] {
  const siteRecords: { seq: number; site: number }[] = [];
  let firstCall = -1;
  for (let i = 0; i < records.length; i++) {
    if (records.op(i) === OP.site) siteRecords.push({ seq: records.seq(i), site: records.id(i) });
    else if (firstCall < 0 && records.op(i) === OP.enter) firstCall = records.seq(i);
  }
  const derived = deriveStartupSteps(siteRecords, sites, fn, projectRoot);
  if (firstCall >= 0 && (derived.length === 0 || firstCall < derived[0].siteSeq)) {
    derived.unshift({
      id: "load",
      title: "load: the app and socket.io load",
      side: "server",
      explanation: "Module loading runs library code before the app calls any of it (module-level set-up).",
      docs: { options: [], methods: [] },
      flask: "",
      siteSeq: firstCall - 1,
    });
  }
  return derived;
}

/** The steps after start-up: the built-in client's, or one step collecting other clients' traffic. */
export function liveSteps(client: AppClientOptions | undefined, server: AppServer): StepDefinition[] {
  if (client) return clientSteps(client, server);
  const address = server.listening ?? "";
  return [
    {
      id: "live",
      title: "live: traffic from other clients",
      side: "none",
      explanation: `Everything that reached ${address} after start-up.`,
      docs: { options: [], methods: [] },
      flask: "",
    },
  ];
}
