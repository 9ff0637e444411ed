/**
 * Steps of a user's own app, derived from what it did: each line of the app
 * that called into socket.io during start-up (and each `listen`) becomes a step
 * with that line; the built-in client's actions follow as live steps. A step
 * carries its kind, not a narration: what it says is made of claims checked on
 * the run (`app-claims.ts`).
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { CallSite } from "../instrument/call-sites.js";
import type { FunctionInfo, UserCode } from "../trace/model.js";
import type { StepDefinition } from "../trace/scenario.js";
import type { RecordView } from "../trace/call-tree.js";
import { OP } from "../trace/record-ops.js";
import type { AppServer } from "../runtime/node/app-state.js";
import type { Marked } from "../runtime/port.js";

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
  /**
   * The run's index of each of its steps (connect, each emit, disconnect), when they are not
   * consecutive from `firstStep` (one client of several: the others' steps come between).
   */
  readonly stepIndices?: readonly number[];
}

const CLIENT_TRANSPORTS = ["polling", "websocket"];

/** The built-in client's configuration against `server`, as the live server says it is. */
export function appClientConfig(client: AppClientOptions, server: AppServer, firstStep: number, stepIndices?: readonly number[]): AppClientConfig {
  const usable = server.transports.filter((t) => CLIENT_TRANSPORTS.includes(t));
  return {
    ...client,
    url: server.listening ?? "",
    path: server.path,
    transports: client.transports ?? (usable.length ? usable : CLIENT_TRANSPORTS),
    offered: { transports: server.transports, namespaces: server.namespaces, dynamic: server.dynamic },
    firstStep,
    ...(stepIndices ? { stepIndices } : {}),
  };
}

/** What kind of thing a step of an app does: its claims are made for that kind. */
export type AppStepKind =
  | "load" | "init" | "attach" | "engine-middleware" | "middleware" | "namespace" | "handlers" | "run" | "admin-ui" | "call"
  | "connect" | "emit" | "disconnect" | "live";

/** A step of a user's app: a start-up line of it, or one of the built-in client's actions. */
export interface AppStep extends StepDefinition {
  readonly kind: AppStepKind;
  /** The library function the app's line called (`Server.use`), for a start-up step. */
  readonly callee?: string;
  /** The event a client step emits. */
  readonly event?: string;
  /** The client's emit asks for an ack (`emitWithAck`). */
  readonly ack?: boolean;
}

/** A start-up step found in the record stream. */
export interface DerivedStep extends AppStep {
  /** Seq of the first call-site record of the step. */
  readonly siteSeq: number;
  /**
   * In a run of several processes (`process` names the step's own): where the step starts in
   * each, by process id; the others' ranges are empty then (their start-up is over, or not begun).
   */
  readonly siteMarks?: readonly Marked[];
}

interface Kind {
  readonly id: AppStepKind;
  readonly title: string;
  readonly docs: StepDefinition["docs"];
}

const NO_DOCS: StepDefinition["docs"] = { options: [], methods: [] };

const KINDS: Record<Exclude<AppStepKind, "connect" | "emit" | "disconnect" | "live">, Kind> = {
  init: { id: "init", title: "init", docs: { options: ["path", "cors", "pingInterval", "pingTimeout", "transports"], methods: ["Server.attach"] } },
  attach: { id: "attach", title: "attach", docs: { options: ["path"], methods: ["Server.attach", "Server.listen"] } },
  "engine-middleware": { id: "engine-middleware", title: "engine middleware", docs: { options: [], methods: ["BaseServer.use"] } },
  middleware: { id: "middleware", title: "middleware", docs: { options: [], methods: ["Server.use", "Namespace.use"] } },
  namespace: { id: "namespace", title: "namespace", docs: { options: [], methods: ["Server.of"] } },
  handlers: { id: "handlers", title: "handler registration", docs: { options: [], methods: ["Server.on", "Server.of", "Namespace.on"] } },
  run: { id: "run", title: "run", docs: { options: ["wsEngine"], methods: [] } },
  load: { id: "load", title: "load", docs: NO_DOCS },
  "admin-ui": { id: "admin-ui", title: "admin UI", docs: NO_DOCS },
  call: { id: "call", title: "call", docs: NO_DOCS },
};

function kindOf(site: CallSite, fn: FunctionInfo | undefined, text: string): Kind {
  if (site.callee === "listen") return KINDS.run;
  if (fn?.generated || /\brequire\(|\bimport\b/.test(text)) return KINDS.load;
  const name = fn?.name ?? "";
  if (fn?.pkg === "socket.io" && name === "Server.constructor") return KINDS.init;
  if (name === "Server.attach" || name === "Server.listen") return KINDS.attach;
  if (fn?.pkg === "@socket.io/admin-ui" && name === "instrument") return KINDS["admin-ui"];
  // `io.engine.use(fn)`: engine.io's HTTP-level middleware, not a namespace's.
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
    const callee = typeof site.callee === "number" ? fn(site.callee) : undefined;
    const kind = kindOf(site, callee, text);
    const n = (counts.get(kind.id) ?? 0) + 1;
    counts.set(kind.id, n);
    const code: UserCode = { file: site.file, line: site.line, text, side: "server" };
    steps.push({
      id: n === 1 ? kind.id : `${kind.id}-${n}`,
      title: `${kind.title}: ${text.length > 60 ? `${text.slice(0, 57)}…` : text}`,
      side: "server",
      kind: kind.id,
      ...(callee ? { callee: callee.name } : {}),
      docs: kind.docs,
      code,
      siteSeq: record.seq,
    });
  }
  return steps;
}

/** The built-in client's steps when tracing an app. */
export function clientSteps(client: AppClientOptions, server: AppServer): AppStep[] {
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
      kind: "connect",
      docs: { options: ["transports", "allowUpgrades"], methods: [] },
      code: code(connectText),
    },
    ...client.emits.map((emit, i): AppStep => {
      const text = `socket.${emit.ack ? "emitWithAck" : "emit"}(${[JSON.stringify(emit.event), ...emit.args.map((a) => JSON.stringify(a))].join(", ")})`;
      return {
        id: i === 0 ? "emit" : `emit-${i + 1}`,
        title: `emit: ${text.length > 70 ? `${text.slice(0, 67)}…` : text}`,
        side,
        kind: "emit",
        event: emit.event,
        ...(emit.ack ? { ack: true } : {}),
        docs: NO_DOCS,
        code: code(text),
      };
    }),
    {
      id: "disconnect",
      title: "disconnect: socket.disconnect()",
      side,
      waitFor: "close",
      kind: "disconnect",
      docs: NO_DOCS,
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
    // The app's own compiler glue (tsx's module wrapper, esbuild's helpers) runs first in a compiled
    // entry: it is no library set-up. The library's glue (tsc's __importStar IIFEs) is: its module loads.
    else if (firstCall < 0 && records.op(i) === OP.enter && !appGlue(fn(records.id(i)))) firstCall = records.seq(i);
  }
  const derived = deriveStartupSteps(siteRecords, sites, fn, projectRoot);
  if (firstCall >= 0 && (derived.length === 0 || firstCall < derived[0].siteSeq)) {
    derived.unshift({
      id: "load",
      title: "load: the app and socket.io load",
      side: "server",
      kind: "load",
      docs: NO_DOCS,
      siteSeq: firstCall - 1,
    });
    return renumbered(derived, "load");
  }
  return derived;
}

/** True for compiler-emitted glue in the app's own files (not the library's, whose glue runs as its modules load). */
function appGlue(info: FunctionInfo | undefined): boolean {
  return info?.generated === true && info.pkg === "app";
}

/** `steps` with the ids of kind `kind` numbered again in order (`load`, `load-2`…): a step put first must not share an id with one that was. */
function renumbered(steps: readonly DerivedStep[], kind: AppStepKind): DerivedStep[] {
  let n = 0;
  return steps.map((step) => (step.kind === kind ? { ...step, id: ++n === 1 ? kind : `${kind}-${n}` } : step));
}

/** The steps after start-up: the built-in client's, or one step collecting other clients' traffic. */
export function liveSteps(client: AppClientOptions | undefined, server: AppServer): AppStep[] {
  if (client) return clientSteps(client, server);
  return [{ id: "live", title: "live: traffic from other clients", side: "none", kind: "live", docs: NO_DOCS }];
}
