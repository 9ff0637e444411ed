/**
 * What a user's app has become during start-up, read in the traced process:
 * the socket.io servers it created (path, transports, namespaces, whether they
 * serve a listening HTTP server) and the cluster workers it forked. The CLI
 * decides from it when start-up is over, what the built-in client connects
 * to, and what to say when the app is not a socket.io server at all.
 *
 * Servers are found without wrapping anything the app can call: socket.io's
 * constructor assigns `this._nsps`, and an accessor of that name on the
 * prototype sees the assignment, notes the instance (weakly) and turns the
 * field into the plain own property it would have been.
 */
import net from "node:net";
import { createRequire } from "node:module";
import type { Cluster } from "node:cluster";

/** A socket.io server of the app, as the built-in client needs it. */
export interface AppServer {
  /** The path engine.io answers under (socket.io's `path` option), without a trailing slash. */
  readonly path: string;
  /** The transports the server accepts, in its own order. */
  readonly transports: readonly string[];
  /** Namespaces created so far; `dynamic` counts the regex or function ones (`io.of(/…/)`). */
  readonly namespaces: readonly string[];
  readonly dynamic: number;
  /** The address of the HTTP server it is attached to, once that listens. */
  readonly listening?: string;
  /** engine.io's numeric options in force (pingInterval, pingTimeout…), for the narration before any packet tells them. */
  readonly engine?: Readonly<Record<string, number>>;
}

/** The app's state, sent when the CLI asks. */
export interface AppState {
  readonly servers: readonly AppServer[];
  /** Cluster workers alive (the app is a cluster primary when more than 0). */
  readonly workers: number;
  /** The file the workers run, when the app forked any. */
  readonly workerExec?: string;
}

const servers: WeakRef<object>[] = [];
const TRACKED = Symbol.for("trace-socket.tracked");

function own(object: object, key: string): unknown {
  const descriptor = Object.getOwnPropertyDescriptor(object, key);
  return descriptor && "value" in descriptor ? descriptor.value : undefined;
}

/** Starts noting instances of socket.io's `Server` class; `exports` are its main module's. */
export function trackServers(exports: unknown): void {
  const Server = (exports as { Server?: { prototype: object } } | undefined)?.Server;
  const proto = Server?.prototype as Record<symbol, unknown> | undefined;
  if (!proto || proto[TRACKED] || Object.getOwnPropertyDescriptor(proto, "_nsps")) return;
  Object.defineProperty(proto, TRACKED, { value: true });
  Object.defineProperty(proto, "_nsps", {
    configurable: true,
    set(this: object, value: unknown) {
      Object.defineProperty(this, "_nsps", { value, writable: true, enumerable: true, configurable: true });
      servers.push(new WeakRef(this));
    },
  });
}

function listeningAddress(server: unknown): string | undefined {
  if (!(server instanceof net.Server) || !server.listening) return undefined;
  const address = server.address();
  if (!address || typeof address === "string") return address ?? undefined;
  return `http://${address.family === "IPv6" ? `[${address.address}]` : address.address}:${address.port}`;
}

const ENGINE_OPTIONS = ["pingInterval", "pingTimeout", "upgradeTimeout", "maxHttpBufferSize", "connectTimeout"];

function describe(io: object): AppServer {
  const nsps = own(io, "_nsps");
  const parents = own(io, "parentNsps");
  const engineOptions = own(own(io, "engine") ?? {}, "opts") ?? own(io, "opts");
  const transports = own(engineOptions ?? {}, "transports");
  const engine: Record<string, number> = {};
  for (const key of ENGINE_OPTIONS) {
    const value = own(engineOptions ?? {}, key);
    if (typeof value === "number") engine[key] = value;
  }
  return {
    path: String(own(io, "_path") ?? "/socket.io"),
    transports: Array.isArray(transports) ? transports.map(String) : ["polling", "websocket"],
    namespaces: nsps instanceof Map ? [...nsps.keys()].map(String) : [],
    dynamic: parents instanceof Map ? parents.size : 0,
    listening: listeningAddress(own(io, "httpServer")),
    engine,
  };
}

/** The socket.io servers created so far and still alive. */
export function liveServers(): object[] {
  return servers.map((ref) => ref.deref()).filter((io): io is object => io !== undefined);
}

/** The app's state now. Reads plain fields and Node's own getters only: nothing traced runs. */
export function appState(): AppState {
  const live = liveServers();
  // Loading the cluster module creates nothing; an app that forked has loaded it already.
  const cluster = createRequire(import.meta.url)("node:cluster") as Cluster;
  const workers = Object.keys(cluster.workers ?? {}).length;
  const exec = cluster.settings?.exec;
  return { servers: live.map(describe), workers, workerExec: workers > 0 && exec ? exec : undefined };
}

/** True for socket.io's main module (where its `Server` class is exported), whatever its version. */
export function isSocketIoMain(pkg: string, file: string): boolean {
  return pkg === "socket.io" && /[\\/]socket\.io[\\/]dist[\\/]index\.js$/.test(file);
}
