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
});
