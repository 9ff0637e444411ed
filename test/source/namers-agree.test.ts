import { readdirSync, readFileSync } from "node:fs";
import { basename, join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { transformSource, type FoundFunction } from "../../src/instrument/transform.js";
import { scanFunctions } from "../../src/source/scan-functions.js";
import { createScratchProject, loadTsMorph, type TsMorphModule } from "../../src/source/ts-morph-loader.js";
import type { IndexedFunction } from "../../src/source/types.js";
import { PROJECT_ROOT } from "./helpers/paths.js";

// The recorder names what ran (acorn, in the traced process); the source index and the
// upstream matcher name what is in a file (ts-morph). A name one gives and the other does
// not is a call-tree line with no source, or a permalink to the wrong function.
const FOLDERS = [
  "node_modules/socket.io/dist",
  "node_modules/engine.io/build",
  "node_modules/engine.io/build/transports",
  "node_modules/socket.io-parser/build/cjs",
  "node_modules/socket.io-adapter/dist",
  "node_modules/engine.io-parser/build/cjs",
  "node_modules/engine.io/node_modules/ws/lib",
  "node_modules/cors/lib",
];

function filesOf(folder: string): string[] {
  return readdirSync(join(PROJECT_ROOT, folder))
    .filter((f) => f.endsWith(".js"))
    .map((f) => join(folder, f));
}

/** Accessors: the recorder says `get Socket.readyState`, the index `Socket.readyState` with kind getter. */
const bare = (name: string): string => name.replace(/^(get|set) /, "");

let tsm: TsMorphModule;
beforeAll(async () => {
  tsm = await loadTsMorph();
});

describe("the recorder's names and the source index's agree on the installed family", () => {
  it("every function is found at the same place under the same name and enclosing function", () => {
    const disagreements: string[] = [];
    let compared = 0;
    for (const file of FOLDERS.flatMap(filesOf)) {
      const text = readFileSync(join(PROJECT_ROOT, file), "utf8");
      const recorded = transformSource(text, { sourceType: "script", idBase: 1, moduleName: basename(file) }).functions;
      const indexed = scanFunctions(tsm, createScratchProject(tsm).createSourceFile(`/x/${basename(file)}`, text)).functions;
      const at = new Map<string, IndexedFunction>(indexed.map((f) => [`${f.line}:${f.column}`, f]));
      for (const fn of recorded) {
        const other = at.get(`${fn.line}:${fn.column}`);
        const where = `${file}:${fn.line}:${fn.column}`;
        if (!other) {
          disagreements.push(`${where} ${fn.name}: not in the index`);
          continue;
        }
        // Compiler glue has no upstream source and is listed apart; top-level closures are placed
        // by module file name in the tree (`<anonymous … in index.js>`), which the upstream file does not share.
        if (fn.generated || other.generated || (fn.enclosing === undefined && fn.name.startsWith("<anonymous"))) continue;
        compared++;
        if (bare(fn.name) !== other.name) disagreements.push(`${where} name ${fn.name} ≠ ${other.name}`);
        if (fn.enclosing !== undefined && fn.enclosing !== other.enclosing) disagreements.push(`${where} ${fn.name} enclosing ${fn.enclosing} ≠ ${other.enclosing}`);
        if ((fn.className ?? "") !== (other.className ?? "") || (fn.member ?? "") !== (other.member ?? "")) {
          disagreements.push(`${where} ${fn.name} member ${fn.className}.${fn.member} ≠ ${other.className}.${other.member}`);
        }
      }
    }
    expect(disagreements).toEqual([]);
    expect(compared).toBeGreaterThan(500);
  });
});

describe("recorder names on real syntax", () => {
  function names(source: string): FoundFunction[] {
    return [...transformSource(source, { sourceType: "script", idBase: 1, moduleName: "index.js" }).functions];
  }

  it("gives colliding closures their place, and leaves members alone", () => {
    const engine = readFileSync(join(PROJECT_ROOT, "node_modules/engine.io/build/server.js"), "utf8");
    const socket = readFileSync(join(PROJECT_ROOT, "node_modules/engine.io/build/socket.js"), "utf8");
    const inServer = names(engine).map((f) => f.name);
    const inSocket = names(socket).map((f) => f.name);
    expect(inServer).toEqual(expect.arrayContaining(["check in Server.attach", "callback in Server.handleRequest", "callback in Server.handleUpgrade"]));
    expect(inSocket).toEqual(expect.arrayContaining(["check in Socket._maybeUpgrade", "onPacket in Socket._maybeUpgrade", "Socket.onPacket"]));
    // No bare `check`, `callback` or `onPacket` is left to be confused with another.
    expect([...inServer, ...inSocket].filter((n) => ["check", "callback", "onPacket"].includes(n))).toEqual([]);
    // A closure nested in a named closure says the whole way: `… in callback in Server.handleUpgrade`.
    expect(inServer).toContain("<anonymous handleUpgrade callback in callback in Server.handleUpgrade>");
  });

  it("names socket.io's loop-defined delegates after the prototype slot they fill", () => {
    const index = readFileSync(join(PROJECT_ROOT, "node_modules/socket.io/dist/index.js"), "utf8");
    const delegate = names(index).find((f) => f.line === index.split("\n").findIndex((l) => l.includes("Server.prototype[fn] = function")) + 1);
    expect(delegate).toMatchObject({ name: "Server[fn]", className: "Server", member: "[fn]", kind: "method" });
  });

  it("names IIFEs, returned functions, executors and object-literal members as the index does", () => {
    const found = names(`
      function outer() {
        (() => {})();
        new Promise((resolve) => resolve());
        const handlers = { open() {}, close: () => {} };
        call({ upgrade: () => {} });
        return function () {};
      }
    `).map((f) => f.name);
    expect(found).toEqual([
      "outer",
      "<anonymous IIFE in outer>",
      "<anonymous Promise executor in outer>",
      "handlers.open in outer",
      "handlers.close in outer",
      "<anonymous upgrade in outer>",
      "<anonymous returned function in outer>",
    ]);
  });
});
