import { Parser } from "acorn";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { listPackageFiles } from "../../src/source/build-index.js";
import { openSourceIndex, type SourceIndex } from "../../src/source/index.js";
import type { FamilyPackage } from "../../src/trace/model.js";
import { traceNode } from "./helpers/function-info.js";
import { PROJECT_ROOT } from "./helpers/paths.js";
import { sharedCacheDir } from "./helpers/shared-cache.js";

/** Every installed copy the scenario can run, nested ws included. */
const PACKAGES: readonly [FamilyPackage, string][] = [
  ["socket.io", "node_modules/socket.io"],
  ["engine.io", "node_modules/engine.io"],
  ["socket.io-parser", "node_modules/socket.io-parser"],
  ["socket.io-adapter", "node_modules/socket.io-adapter"],
  ["engine.io-parser", "node_modules/engine.io-parser"],
  ["ws", "node_modules/ws"],
  ["ws", "node_modules/engine.io/node_modules/ws"],
  ["cors", "node_modules/cors"],
];

/** Names the trace shows, and what the installed line they point at must read like. */
const KNOWN: readonly [FamilyPackage, string, string, RegExp][] = [
  ["socket.io", "dist/index.js", "Server.constructor", /^\s*constructor\(/],
  ["socket.io", "dist/index.js", "Server.use", /^\s*use\(fn\)/],
  ["socket.io", "dist/index.js", "Server.attach", /^\s*attach\(/],
  ["socket.io", "dist/namespace.js", "Namespace._add", /^\s*(?:async\s+)?_add\(/],
  ["socket.io", "dist/socket.js", "Socket._onpacket", /^\s*_onpacket\(/],
  ["socket.io", "dist/broadcast-operator.js", "BroadcastOperator.emit", /^\s*emit\(/],
  ["engine.io", "build/server.js", "Server.attach", /^\s*attach\(server/],
  ["engine.io", "build/server.js", "check in Server.attach", /^\s*function check\(/],
  ["engine.io", "build/server.js", "<anonymous request listener in Server.attach>", /server\.on\("request", \(/],
  ["engine.io", "build/server.js", "<anonymous upgrade listener in Server.attach>", /server\.on\("upgrade", \(/],
  ["engine.io", "build/server.js", "BaseServer.handshake", /^\s*(?:async\s+)?handshake\(/],
  ["engine.io", "build/socket.js", "Socket.schedulePing", /^\s*schedulePing\(/],
  ["engine.io", "build/socket.js", "<anonymous setTimeout callback in Socket.schedulePing>", /setTimeout\)\(\(\) =>/],
  ["socket.io-parser", "build/cjs/index.js", "Decoder.add", /^\s*add\(obj\)/],
  ["socket.io-adapter", "dist/in-memory-adapter.js", "Adapter.broadcast", /^\s*broadcast\(/],
  ["engine.io-parser", "build/cjs/encodePacket.js", "encodePacket", /const encodePacket = \(/],
  ["ws", "lib/websocket-server.js", "WebSocketServer.handleUpgrade", /^\s*handleUpgrade\(/],
  ["ws", "lib/websocket.js", "WebSocket.send", /^\s*send\(/],
  ["cors", "lib/index.js", "configureOrigin", /^\s*function configureOrigin\(/],
  ["cors", "lib/index.js", "corsMiddleware in middlewareWrapper", /return function corsMiddleware\(/],
];

interface AcornFunction {
  readonly line: number;
  readonly column: number;
  readonly endLine: number;
}

/**
 * Functions as an acorn-based recorder sees them; a method is placed where its
 * definition starts (`static`, `async`, `get` or its name), like ts-morph does.
 */
function acornFunctions(text: string): AcornFunction[] {
  const options = { ecmaVersion: "latest", locations: true, allowHashBang: true } as const;
  let ast: unknown;
  try {
    ast = Parser.parse(text, { ...options, sourceType: "module" });
  } catch {
    ast = Parser.parse(text, { ...options, sourceType: "script" });
  }
  const found: AcornFunction[] = [];
  type AstNode = { type: string; loc: { start: { line: number; column: number }; end: { line: number } } } & Record<string, unknown>;
  const visit = (node: AstNode, definition?: AstNode): void => {
    if (/Function(Declaration|Expression)$/.test(node.type)) {
      const at = definition ?? node;
      found.push({ line: at.loc.start.line, column: at.loc.start.column + 1, endLine: node.loc.end.line });
    }
    for (const [key, value] of Object.entries(node)) {
      if (key === "loc") continue;
      const isDefinitionValue =
        key === "value" &&
        (node.type === "MethodDefinition" || (node.type === "Property" && (node["method"] || node["kind"] !== "init")));
      for (const child of Array.isArray(value) ? value : [value]) {
        if (child && typeof child === "object" && typeof (child as AstNode).type === "string") {
          visit(child as AstNode, isDefinitionValue ? node : undefined);
        }
      }
    }
  };
  visit(ast as AstNode);
  return found;
}

let index: SourceIndex;

beforeAll(async () => {
  index = await openSourceIndex(PROJECT_ROOT, { cacheDir: sharedCacheDir(), offline: true });
});

describe("index of the installed packages", () => {
  it.each(KNOWN)("%s %s: %s is declared on the line it names", async (pkg, path, name, reads) => {
    const file = `node_modules/${pkg}/${path}`;
    const fn = await traceNode(index, pkg, file, name);
    const line = readFileSync(join(PROJECT_ROOT, file), "utf8").split("\n")[fn.line - 1]!;
    expect(line).toMatch(reads);
    expect(fn.endLine).toBeGreaterThanOrEqual(fn.line);
  });

  it.each(PACKAGES)("%s (%s): every function acorn finds resolves to an entry at the same place", async (_pkg, dir) => {
    const { scripts } = await listPackageFiles(join(PROJECT_ROOT, dir));
    expect(scripts.length).toBeGreaterThan(0);
    for (const path of scripts) {
      const file = `${dir}/${path}`;
      const indexed = await index.functionsIn(file);
      const expected = acornFunctions(readFileSync(join(PROJECT_ROOT, file), "utf8"));
      const positions = (fns: readonly AcornFunction[]) => fns.map((f) => `${f.line}:${f.column}-${f.endLine}`).sort();
      expect(positions(indexed), file).toEqual(positions(expected));
    }
  });

  it("names closures by place and marks compiler glue", async () => {
    const fns = await index.functionsIn("node_modules/engine.io/build/server.js");
    const listener = fns.find((f) => f.name === "<anonymous request listener in Server.attach>");
    expect(listener).toMatchObject({ kind: "arrow", enclosing: "Server.attach" });
    expect(fns.find((f) => f.name === "check in Server.attach")).toMatchObject({ kind: "function", enclosing: "Server.attach" });
    expect(fns.find((f) => f.name === "__importDefault")).toMatchObject({ generated: true });
    const attach = fns.find((f) => f.name === "Server.attach");
    expect(attach).toMatchObject({ kind: "method", className: "Server", member: "attach" });
    expect(attach?.doc?.text).toMatch(/upgrade requests/);
  });

  it("indexes each installed copy of ws at its own version", async () => {
    const top = await traceNode(index, "ws", "node_modules/ws/lib/websocket.js", "WebSocket.send");
    const nested = await traceNode(index, "ws", "node_modules/engine.io/node_modules/ws/lib/websocket.js", "WebSocket.send");
    expect(top.version).toMatch(/^\d+\.\d+\.\d+/);
    expect(nested.version).toMatch(/^\d+\.\d+\.\d+/);
    const view = await index.describe(nested);
    expect(view.indexed?.name).toBe("WebSocket.send");
    expect(view.notes).toEqual([]);
  });
});

describe("describe()", () => {
  it("gives the excerpt, the doc comment and the local link of the code that ran", async () => {
    const fn = await traceNode(index, "engine.io", "node_modules/engine.io/build/server.js", "Server.attach");
    const view = await index.describe(fn);
    expect(view.local).toEqual({
      path: "node_modules/engine.io/build/server.js",
      line: fn.line,
      endLine: fn.endLine,
      text: `node_modules/engine.io/build/server.js:${fn.line}`,
    });
    expect(view.excerpt?.declarationLine).toBe(fn.line);
    expect(view.excerpt?.lines[0]).toEqual({ number: fn.line, text: expect.stringMatching(/attach\(server/) });
    expect(view.excerpt?.lines.at(-1)?.number).toBe(fn.endLine);
    expect(view.doc?.tags.map((t) => t.tag)).toContain("param");
    expect(view.upstream).toEqual({ kind: "unavailable", reason: "offline (--offline): the upstream file is not in the cache" });
  });

  it("takes the .d.ts doc when the compiled method lost its comment", async () => {
    const fn = await traceNode(index, "socket.io", "node_modules/socket.io/dist/index.js", "Server.serveClient");
    const view = await index.describe(fn);
    expect(view.indexed?.doc).toBeUndefined();
    expect(view.doc?.text).toMatch(/client/i);
  });

  it("degrades, with reasons, for files it cannot read or index", async () => {
    const fn = await traceNode(index, "cors", "node_modules/cors/lib/index.js", "configureOrigin");
    const moved = await index.describe({ ...fn, file: "node_modules/cors/lib/gone.js" });
    expect(moved.excerpt).toBeUndefined();
    expect(moved.notes).toEqual([
      "cannot read node_modules/cors/lib/gone.js",
      "lib/gone.js is not among the indexed files of cors",
    ]);
    const shifted = await index.describe({ ...fn, line: 3, endLine: 3 });
    expect(shifted.notes).toContain("no function starts at node_modules/cors/lib/index.js:3 in the index");
    const other = await index.describe({ ...fn, version: "0.0.1" });
    expect(other.notes[0]).toMatch(/the trace ran cors@0\.0\.1 but .* is installed/);
    const absolute = await index.describe({ ...fn, file: join(PROJECT_ROOT, fn.file) });
    expect(absolute.local.path).toBe(fn.file);
    expect(absolute.indexed?.name).toBe("configureOrigin");
    const app = await index.describe({ ...fn, pkg: "app", file: "traces/nowhere.js" });
    expect(app.upstream).toEqual({ kind: "unavailable", reason: "the traced app's own code has no upstream release" });
  });
});
