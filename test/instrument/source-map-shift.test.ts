/**
 * Moving a compiled file's inline source map along the instrumentation's
 * insertions: a position in the instrumented code maps to the same original
 * position as the same character did before the insertions.
 */
import { describe, expect, it } from "vitest";
import { transformSync } from "esbuild";
import { transformSource } from "../../src/instrument/transform.js";
import { mapFunctions, originalPosition, readInlineMap, shiftInlineMap } from "../../src/instrument/source-map-shift.js";

const TS = `import { Server } from "socket.io";

interface Reply {
  readonly ok: boolean;
}

const io = new Server();
io.on("connection", (socket) => {
  socket.on("ping", (ack: (reply: Reply) => void) => {
    ack({ ok: true });
  });
});
`;

// What tsx does: esbuild, whitespace minified, the map inline.
const compiled = transformSync(TS, { loader: "ts", format: "esm", minifyWhitespace: true, keepNames: true, sourcemap: "inline", sourcefile: "server.ts" }).code;

/**
 * What tsx makes of a CommonJS `.ts`: esbuild's CJS output (its `__toESM` helpers for a default
 * import first, on the first line), inside tsx's module wrapper, which adds a line above (the map
 * shifted down by it).
 */
function tsxCommonJs(source: string): string {
  const out = transformSync(source, { loader: "ts", format: "cjs", minifyWhitespace: true, keepNames: true, sourcemap: "external", sourcefile: "server.ts" });
  const map = JSON.parse(out.map) as { mappings: string };
  const shifted = Buffer.from(JSON.stringify({ ...map, mappings: `;${map.mappings}` })).toString("base64");
  return `__filename="/app/server.ts";(()=>{\n${out.code.trimEnd()}\n})()\n//# sourceMappingURL=data:application/json;base64,${shifted}`;
}

describe("source-map-shift", () => {
  it("keeps every mapping when nothing was inserted", () => {
    const map = readInlineMap(compiled)!;
    const same = shiftInlineMap(compiled, compiled, map, []);
    expect(readInlineMap(same)!.json.mappings).toBe(map.json.mappings);
  });

  it("maps the instrumented code's positions to the original .ts lines", () => {
    const map = readInlineMap(compiled)!;
    const result = transformSource(compiled, { sourceType: "module", idBase: 1, reportInsertions: true });
    expect(result.error).toBeUndefined();
    expect(result.inserted!.length).toBeGreaterThan(4);
    const shifted = readInlineMap(shiftInlineMap(compiled, result.code, map, result.inserted!))!;
    for (const needle of ["new Server", "io.on(", "socket.on(", "ack({"]) {
      const before = compiled.indexOf(needle);
      const after = result.code.indexOf(needle);
      expect(after).toBeGreaterThan(before);
      const line = (text: string, at: number): number => text.slice(0, at).split("\n").length;
      const column = (text: string, at: number): number => at - text.lastIndexOf("\n", at - 1);
      const original = originalPosition(map, line(compiled, before), column(compiled, before));
      expect(original, needle).toEqual(originalPosition(shifted, line(result.code, after), column(result.code, after)));
      expect(TS.split("\n")[original!.line - 1], needle).toContain(needle.replace("({", "("));
    }
  });

  it("gives the functions found in compiled code their .ts lines", () => {
    const map = readInlineMap(compiled)!;
    const { functions } = transformSource(compiled, { sourceType: "module", idBase: 1 });
    const lines = mapFunctions(map, functions).map((f) => f.line);
    expect(lines).toEqual([8, 9]);
  });

  it("marks what no mapping covers as the compiler's: tsx's module wrapper and esbuild's helpers, the source's functions at their lines", () => {
    const compiledCjs = tsxCommonJs(`import http from "node:http";\nvoid http;\n${TS}`);
    const map = readInlineMap(compiledCjs)!;
    const { functions, error } = transformSource(compiledCjs, { sourceType: "script", idBase: 1 });
    expect(error).toBeUndefined();
    const found = mapFunctions(map, functions);
    const glue = found.filter((f) => f.generated).map((f) => f.name);
    expect(glue).toEqual(expect.arrayContaining(["__copyProps", "__toESM"]));
    expect(glue.some((name) => /IIFE/.test(name))).toBe(true);
    // The source's own functions: not glue, at their .ts lines (two below TS's: the default import and its use).
    expect(found.filter((f) => !f.generated).map((f) => f.line)).toEqual([10, 11]);
  });
});
