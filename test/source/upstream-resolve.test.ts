import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { openSourceIndex, type SourceIndex, type UpstreamLink } from "../../src/source/index.js";
import type { FunctionInfo } from "../../src/trace/model.js";
import {
  closedBase,
  startFixtureServer,
  startSilentServer,
  type FixtureServer,
} from "./helpers/fixture-server.js";
import { installedVersion, traceNode } from "./helpers/function-info.js";
import { PROJECT_ROOT, UPSTREAM_FIXTURES } from "./helpers/paths.js";
import { seededCacheDir, sharedCacheDir, removeTemporaryDirs } from "./helpers/shared-cache.js";

afterAll(removeTemporaryDirs);

const SERVER_JS = "node_modules/engine.io/build/server.js";
const CORS_JS = "node_modules/cors/lib/index.js";
const EIO = installedVersion("node_modules/engine.io");
const CORS = installedVersion("node_modules/cors");
const ADMIN_UI_JS = "node_modules/@socket.io/admin-ui/dist/index.js";
const ADMIN_UI = installedVersion("node_modules/@socket.io/admin-ui");
const RELEASE_TS = join(UPSTREAM_FIXTURES, "engine.io-release/packages/engine.io/lib/server.ts");

/** 1-based line of the first line of `file` containing `text`. */
function lineOf(file: string, text: string): number {
  const index = readFileSync(file, "utf8").split("\n").findIndex((line) => line.includes(text));
  if (index < 0) throw new Error(`${text} not in ${file}`);
  return index + 1;
}

function asLink(result: unknown): UpstreamLink {
  expect(result).toMatchObject({ kind: "permalink" });
  return result as UpstreamLink;
}

let installed: SourceIndex;
const nodes: Record<string, FunctionInfo> = {};
const servers: FixtureServer[] = [];

beforeAll(async () => {
  installed = await openSourceIndex(PROJECT_ROOT, { cacheDir: sharedCacheDir(), offline: true });
  for (const name of [
    "Server.attach",
    "Server.handleRequest",
    "check in Server.attach",
    "<anonymous request listener in Server.attach>",
    "<anonymous setTimeout callback in Server.attach>",
    "closeConnection in callback in Server.handleRequest",
    "<anonymous error listener in Server.attach>",
    "__importDefault",
  ]) {
    nodes[name] = await traceNode(installed, "engine.io", SERVER_JS, name);
  }
  nodes["configureOrigin"] = await traceNode(installed, "cors", CORS_JS, "configureOrigin");
  nodes["instrument"] = await traceNode(installed, "@socket.io/admin-ui", ADMIN_UI_JS, "instrument");
});

afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function serve(releases: Record<string, string>): Promise<FixtureServer> {
  const server = await startFixtureServer(releases);
  servers.push(server);
  return server;
}

function open(base: string, extra: { timeoutMs?: number; offline?: boolean; cacheDir?: string } = {}) {
  return openSourceIndex(PROJECT_ROOT, { cacheDir: extra.cacheDir ?? seededCacheDir(), upstreamBase: base, ...extra });
}

describe("upstream permalinks against fixture releases on 127.0.0.1", () => {
  it("links a class member at the release tag, mapped from build/ to lib/*.ts", async () => {
    const server = await serve({ [`socketio/socket.io/engine.io@${EIO}`]: "engine.io-release" });
    const index = await open(server.base);
    const view = await index.describe(nodes["Server.attach"]!);
    const link = asLink(view.upstream);
    const start = lineOf(RELEASE_TS, "public attach(");
    expect(link).toMatchObject({
      owner: "socketio",
      repo: "socket.io",
      tag: `engine.io@${EIO}`,
      path: "packages/engine.io/lib/server.ts",
      startLine: start,
      target: "member",
    });
    expect(link.endLine).toBeGreaterThan(start + 10);
    expect(link.url).toBe(
      `https://github.com/socketio/socket.io/blob/engine.io%40${EIO}/packages/engine.io/lib/server.ts#L${start}-L${link.endLine}`,
    );
    expect(link.reason).toBeUndefined();
    expect(view.local.text).toBe(`${SERVER_JS}:${nodes["Server.attach"]!.line}`);
    expect(server.requests).toEqual([`/socketio/socket.io/engine.io@${EIO}/packages/engine.io/lib/server.ts`]);
  });

  it("reads the raw-file base from TRACE_SOCKET_UPSTREAM", async () => {
    const server = await serve({ [`socketio/socket.io/engine.io@${EIO}`]: "engine.io-release" });
    const index = await openSourceIndex(PROJECT_ROOT, {
      cacheDir: seededCacheDir(),
      env: { TRACE_SOCKET_UPSTREAM: server.base },
    });
    expect((await index.describe(nodes["Server.attach"]!)).upstream).toMatchObject({ kind: "permalink" });
    expect(server.requests).toHaveLength(1);
  });

  it("links closures by place and nested functions by name", async () => {
    const server = await serve({ [`socketio/socket.io/engine.io@${EIO}`]: "engine.io-release" });
    const index = await open(server.base);
    const listener = asLink((await index.describe(nodes["<anonymous request listener in Server.attach>"]!)).upstream);
    expect(listener).toMatchObject({ startLine: lineOf(RELEASE_TS, 'server.on("request"'), target: "closure" });
    const check = asLink((await index.describe(nodes["check in Server.attach"]!)).upstream);
    expect(check).toMatchObject({ startLine: lineOf(RELEASE_TS, "function check("), target: "function" });
    // One file, fetched once, however many of its functions are described.
    expect(server.requests).toHaveLength(1);
  });

  it("falls back to the enclosing method when a closure is ambiguous upstream, and says so", async () => {
    const server = await serve({ [`socketio/socket.io/engine.io@${EIO}`]: "engine.io-release" });
    const link = asLink((await (await open(server.base)).describe(nodes["<anonymous error listener in Server.attach>"]!)).upstream);
    expect(link).toMatchObject({ startLine: lineOf(RELEASE_TS, "public attach("), target: "enclosing" });
    expect(link.reason).toMatch(/2 closures so named upstream.*enclosing function Server\.attach/);
  });

  it("keeps the local link and says why when the member was renamed upstream", async () => {
    const server = await serve({ [`socketio/socket.io/engine.io@${EIO}`]: "engine.io-renamed" });
    const view = await (await open(server.base)).describe(nodes["Server.attach"]!);
    expect(view.upstream).toEqual({
      kind: "unavailable",
      reason: `Server.attach is not in packages/engine.io/lib/server.ts of socketio/socket.io at tag engine.io@${EIO}`,
    });
    expect(view.local.path).toBe(SERVER_JS);
    expect(view.excerpt?.lines[0]?.text).toContain("attach(");
  });

  it("keeps the local link of closures the served file does not have, not their enclosing member's", async () => {
    // The fixture's Server.attach has no setTimeout, its handleRequest callback no closeConnection.
    const server = await serve({ [`socketio/socket.io/engine.io@${EIO}`]: "engine.io-release" });
    const index = await open(server.base);
    for (const name of ["<anonymous setTimeout callback in Server.attach>", "closeConnection in callback in Server.handleRequest"]) {
      const view = await index.describe(nodes[name]!);
      expect(view.upstream).toEqual({
        kind: "unavailable",
        reason: `${name} is not in packages/engine.io/lib/server.ts of socketio/socket.io at tag engine.io@${EIO}`,
      });
      expect(view.local).toMatchObject({ path: SERVER_JS, line: nodes[name]!.line });
    }
  });

  it("tries the root layout of the same tag before giving up", async () => {
    const server = await serve({ [`socketio/socket.io/engine.io@${EIO}`]: "engine.io-legacy" });
    const link = asLink((await (await open(server.base)).describe(nodes["Server.attach"]!)).upstream);
    expect(link).toMatchObject({
      path: "lib/server.ts",
      startLine: lineOf(join(UPSTREAM_FIXTURES, "engine.io-legacy/lib/server.ts"), "public attach("),
    });
  });

  it("says which tags it tried when the release tag is missing", async () => {
    const server = await serve({});
    const index = await open(server.base);
    const view = await index.describe(nodes["Server.attach"]!);
    expect(view.upstream).toEqual({
      kind: "unavailable",
      reason:
        `tag for engine.io@${EIO} not found upstream (tried socketio/socket.io at tag engine.io@${EIO} (packages/engine.io/); ` +
        `socketio/socket.io at tag engine.io@${EIO}; socketio/engine.io at tag ${EIO})`,
    });
    expect(server.requests).toHaveLength(6);

    // The 404s are remembered: the next run does not ask again.
    const again = await open(server.base, { cacheDir: index.cacheDir });
    expect((await again.describe(nodes["Server.attach"]!)).upstream).toEqual(view.upstream);
    expect(server.requests).toHaveLength(6);
  });

  it("links packages that ship their source as-is (cors, tag v<version>)", async () => {
    const server = await serve({ [`expressjs/cors/v${CORS}`]: "cors-release" });
    const link = asLink((await (await open(server.base)).describe(nodes["configureOrigin"]!)).upstream);
    const start = lineOf(join(UPSTREAM_FIXTURES, "cors-release/lib/index.js"), "function configureOrigin(");
    expect(link.url).toBe(`https://github.com/expressjs/cors/blob/v${CORS}/lib/index.js#L${start}-L${start + 2}`);
  });

  it("links the Admin UI's server side in its own repository (tag <version>), mapped from dist/ to lib/*.ts", async () => {
    const server = await serve({ [`socketio/socket.io-admin-ui/${ADMIN_UI}`]: "admin-ui-release" });
    const link = asLink((await (await open(server.base)).describe(nodes["instrument"]!)).upstream);
    const start = lineOf(join(UPSTREAM_FIXTURES, "admin-ui-release/lib/index.ts"), "export function instrument(");
    expect(link).toMatchObject({ owner: "socketio", repo: "socket.io-admin-ui", tag: ADMIN_UI, path: "lib/index.ts", startLine: start, target: "function" });
    expect(link.url).toBe(`https://github.com/socketio/socket.io-admin-ui/blob/${ADMIN_UI}/lib/index.ts#L${start}-L${start + 4}`);
  });

  it("never asks upstream about compiler glue", async () => {
    const server = await serve({ [`socketio/socket.io/engine.io@${EIO}`]: "engine.io-release" });
    const view = await (await open(server.base)).describe(nodes["__importDefault"]!);
    expect(view.upstream).toMatchObject({ kind: "unavailable", reason: expect.stringMatching(/TypeScript compiler/) });
    expect(server.requests).toHaveLength(0);
  });
});

describe("upstream failures", () => {
  it("reports a refused connection once and stops asking", async () => {
    const index = await open(await closedBase());
    const views = await Promise.all(
      ["Server.attach", "check in Server.attach", "<anonymous request listener in Server.attach>", "configureOrigin"].map((n) =>
        index.describe(nodes[n]!),
      ),
    );
    for (const view of views) {
      expect(view.upstream).toEqual({ kind: "unavailable", reason: "upstream unreachable (ECONNREFUSED)" });
      expect(view.local.line).toBe(view.fn.line);
    }
    expect(index.stats().upstreamRequests).toBe(1);
  });

  it("gives up after the timeout", async () => {
    const server = await startSilentServer();
    servers.push(server);
    const index = await open(server.base, { timeoutMs: 200 });
    const started = Date.now();
    const view = await index.describe(nodes["Server.attach"]!);
    expect(view.upstream).toEqual({ kind: "unavailable", reason: "upstream unreachable (no answer within 200 ms)" });
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it("offline, uses only what is cached, and says so otherwise", async () => {
    const cacheDir = seededCacheDir();
    const offline = await open("http://127.0.0.1:9", { offline: true, cacheDir });
    expect((await offline.describe(nodes["Server.attach"]!)).upstream).toEqual({
      kind: "unavailable",
      reason: "offline (--offline): the upstream file is not in the cache",
    });
    expect(offline.stats().upstreamRequests).toBe(0);

    const server = await serve({ [`socketio/socket.io/engine.io@${EIO}`]: "engine.io-release" });
    const online = await open(server.base, { cacheDir });
    const link = asLink((await online.describe(nodes["Server.attach"]!)).upstream);
    await server.close();

    // Same base, new run, no network: the cached file and its parsed table answer.
    const again = await open(server.base, { offline: true, cacheDir });
    expect((await again.describe(nodes["Server.attach"]!)).upstream).toEqual(link);
    expect(again.stats().upstreamRequests).toBe(0);
  });
});
