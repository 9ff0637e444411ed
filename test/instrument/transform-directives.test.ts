/**
 * The transform keeps strict mode: what it inserts (the recorder header, each function's
 * enter/try) goes after a body's directive prologue, never before it, so `"use strict"`
 * stays a directive. Checked on real modules loaded through the real require hook (their
 * strict semantics at run time) and on every CommonJS file of the installed family.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import Module, { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { parse } from "acorn";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { familyFile } from "../../src/instrument/family.js";
import { FunctionRegistry } from "../../src/instrument/function-registry.js";
import { instrumentRequire } from "../../src/instrument/require-hook.js";
import { transformSource } from "../../src/instrument/transform.js";
import { PACKAGE_ROOT } from "../../src/trace/scenario.js";
import { FAMILY } from "../../src/trace/model.js";

type Node = { readonly type: string; readonly [key: string]: unknown };

/** The directive prologue of every body, in source order, leaving out bodies without one. */
function prologues(program: Node): string[][] {
  const out: string[][] = [];
  const visit = (node: Node): void => {
    const body = node.type === "Program" || node.type === "BlockStatement" ? (node.body as Node[]) : undefined;
    if (body) {
      const directives: string[] = [];
      for (const statement of body) {
        if (typeof statement.directive !== "string") break;
        directives.push(statement.directive);
      }
      if (directives.length) out.push(directives);
    }
    for (const value of Object.values(node)) {
      for (const child of Array.isArray(value) ? value : [value]) {
        if (child && typeof child === "object" && typeof (child as Node).type === "string") visit(child as Node);
      }
    }
  };
  visit(program);
  return out;
}

const parseScript = (code: string): Node => parse(code, { ecmaVersion: "latest", sourceType: "script", allowHashBang: true, allowReturnOutsideFunction: true }) as unknown as Node;

describe("strict mode survives instrumentation, at run time (the real require hook)", () => {
  const dir = mkdtempSync(join(tmpdir(), "trace-socket-strict-"));
  const compile = (Module.prototype as unknown as { _compile: unknown })._compile;
  const failures: string[] = [];
  const registry = new FunctionRegistry(dir);
  const files = {
    // The usual form, and the one left to ASI, at file and at function level.
    "strict.cjs": `"use strict";\nexports.undeclared = function () { leakedStrict = 1; };\nexports.plainThis = function () { return this; };\n`,
    "strict-asi.cjs": `"use strict"\nexports.undeclared = function () { leakedAsi = 1; };\nexports.plainThis = function () { return this; };\n`,
    "sloppy.cjs": `exports.plainThis = function () { return this; };\nexports.strictInside = function () { "use strict"\n  return this; };\nexports.octal = function () { return eval("010"); };\n`,
  };

  beforeAll(() => {
    for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
    instrumentRequire(registry, dir, (file, reason) => failures.push(`${file}: ${reason}`));
  });

  afterAll(() => {
    (Module.prototype as unknown as { _compile: unknown })._compile = compile;
    rmSync(dir, { recursive: true, force: true });
  });

  const load = <T>(name: string): T => createRequire(join(dir, "package.json"))(`./${name}`) as T;

  it.each(["strict.cjs", "strict-asi.cjs"])("%s: assigning to an undeclared variable throws, `this` in a plain call is undefined", (name) => {
    const strict = load<{ undeclared(): void; plainThis(): unknown }>(name);
    expect(failures).toEqual([]);
    expect(registry.drain().filter((f) => f.file === name).map((f) => f.pkg), "the file was instrumented").toEqual(["app", "app"]);
    const { undeclared, plainThis } = strict;
    expect(() => undeclared()).toThrow(ReferenceError);
    expect(plainThis()).toBeUndefined();
  });

  it("a sloppy file stays sloppy, and a function's own ASI-ended directive still holds", () => {
    const sloppy = load<{ plainThis(): unknown; strictInside(): unknown; octal(): unknown }>("sloppy.cjs");
    expect(failures).toEqual([]);
    expect(registry.drain().filter((f) => f.file === "sloppy.cjs")).toHaveLength(3);
    const { plainThis, strictInside, octal } = sloppy;
    expect(plainThis()).toBe(globalThis);
    expect(octal()).toBe(8);
    expect(strictInside()).toBeUndefined();
  });
});

/** Every `.js`/`.cjs` file of the installed family packages (nested copies under them included). */
function familyFiles(): string[] {
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      // What the require hook would instrument (not the Admin UI's browser bundle).
      else if (/\.c?js$/.test(entry.name) && familyFile(path)) out.push(path);
    }
  };
  // Only what is installed: some of the family (socket.io-msgpack-parser) is traced when an app has it.
  for (const pkg of FAMILY) if (existsSync(join(PACKAGE_ROOT, "node_modules", pkg))) walk(join(PACKAGE_ROOT, "node_modules", pkg));
  return out;
}

describe("every CommonJS file of the installed family keeps its directives first", () => {
  it("the same directive prologues, program and functions, before and after the transform", () => {
    let withDirective = 0;
    let scripts = 0;
    const broken: string[] = [];
    for (const file of familyFiles()) {
      const source = readFileSync(file, "utf8");
      let original: Node;
      try {
        original = parseScript(source);
      } catch {
        continue; // ESM builds (engine.io-parser's build/esm): the require hook never sees them
      }
      scripts++;
      const result = transformSource(source, { sourceType: "script", idBase: 1, moduleName: basename(file) });
      if (result.error) {
        broken.push(`${file}: ${result.error}`);
        continue;
      }
      const before = prologues(original);
      const after = prologues(parseScript(result.code));
      if ((original.body as Node[])[0]?.directive !== undefined) withDirective++;
      if (JSON.stringify(after) !== JSON.stringify(before)) broken.push(`${file}: ${JSON.stringify(before)} → ${JSON.stringify(after)}`);
    }
    expect(broken).toEqual([]);
    // Not vacuous: socket.io, engine.io and ws all start their files with "use strict".
    expect(scripts).toBeGreaterThan(50);
    expect(withDirective).toBeGreaterThan(50);
  }, 180_000);
});
