/**
 * A stand-in for raw.githubusercontent.com on 127.0.0.1: `/<owner>/<repo>/<tag>/<path>`
 * is answered from a fixture folder chosen per owner/repo/tag, 404 otherwise.
 */
import { readFile } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { UPSTREAM_FIXTURES } from "./paths.js";

/** A running fixture server. */
export interface FixtureServer {
  /** `http://127.0.0.1:<port>`, to pass as the upstream base. */
  readonly base: string;
  /** Decoded request paths, in arrival order. */
  readonly requests: string[];
  close(): Promise<void>;
}

function listen(server: Server): Promise<string> {
  return new Promise((resolve) => {
    server.listen(0, "127.0.0.1", () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`));
  });
}

function closer(server: Server): () => Promise<void> {
  return () =>
    new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
}

/**
 * Serves `releases`: `"socketio/socket.io/engine.io@6.6.12"` → a folder under
 * test/fixtures/upstream holding that release's files.
 */
export async function startFixtureServer(releases: Readonly<Record<string, string>>): Promise<FixtureServer> {
  const requests: string[] = [];
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? "/", "http://x").pathname);
    requests.push(path);
    const [, owner, repo, tag, ...rest] = path.split("/");
    const folder = releases[`${owner}/${repo}/${tag}`];
    if (folder === undefined || rest.some((s) => s === "..")) {
      res.writeHead(404).end("404: Not Found");
      return;
    }
    readFile(join(UPSTREAM_FIXTURES, folder, ...rest)).then(
      (body) => res.writeHead(200, { "content-type": "text/plain; charset=utf-8" }).end(body),
      () => res.writeHead(404).end("404: Not Found"),
    );
  });
  return { base: await listen(server), requests, close: closer(server) };
}

/** A server that accepts connections and never answers: for timeouts. */
export async function startSilentServer(): Promise<FixtureServer> {
  const requests: string[] = [];
  const server = createServer((req) => {
    requests.push(req.url ?? "");
  });
  return { base: await listen(server), requests, close: closer(server) };
}

/** A base URL on a port nobody listens on: for refused connections. */
export async function closedBase(): Promise<string> {
  const server = createServer();
  const base = await listen(server);
  await closer(server)();
  return base;
}
