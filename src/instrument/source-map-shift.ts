/**
 * Compiled files (TypeScript through tsx) carry an inline source map to their
 * `.ts` source. The instrumentation inserts text, which moves columns (never
 * lines), so the map is moved along with it: V8 then still maps stack traces,
 * and so each call site's file:line, to the `.ts` lines. The functions found in
 * the compiled code are given their `.ts` lines from the same map.
 */
import type { FoundFunction } from "./transform.js";

const B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const COMMENT = /\n?\/\/# sourceMappingURL=data:application\/json(?:;charset=[^;,]+)?;base64,([A-Za-z0-9+/=]+)\s*$/;

/** A mapping segment with absolute values: generated column, source, original line, original column (, name). */
type Segment = number[];

function decode(mappings: string): Segment[][] {
  const lines: Segment[][] = [];
  const state = [0, 0, 0, 0, 0];
  for (const lineText of mappings.split(";")) {
    state[0] = 0;
    const line: Segment[] = [];
    for (const text of lineText.split(",")) {
      if (!text) continue;
      const values: number[] = [];
      let value = 0;
      let shift = 0;
      for (const char of text) {
        const digit = B64.indexOf(char);
        value += (digit & 31) << shift;
        if (digit & 32) {
          shift += 5;
        } else {
          values.push(value & 1 ? -(value >>> 1) : value >>> 1);
          value = 0;
          shift = 0;
        }
      }
      line.push(values.map((v, i) => (state[i] += v)));
    }
    lines.push(line);
  }
  return lines;
}

function encodeValue(value: number): string {
  let rest = value < 0 ? (-value << 1) | 1 : value << 1;
  let out = "";
  do {
    let digit = rest & 31;
    rest >>>= 5;
    if (rest > 0) digit |= 32;
    out += B64[digit];
  } while (rest > 0);
  return out;
}

function encode(lines: readonly Segment[][]): string {
  const state = [0, 0, 0, 0, 0];
  return lines
    .map((line) => {
      state[0] = 0;
      return line.map((segment) => segment.map((v, i) => encodeValue(v - state[i]) + ((state[i] = v), "")).join("")).join(",");
    })
    .join(";");
}

/** The inline source map of compiled code, decoded; undefined when it has none. */
export interface InlineMap {
  readonly json: Record<string, unknown>;
  readonly lines: Segment[][];
}

/** Reads the inline source map at the end of `code`. */
export function readInlineMap(code: string): InlineMap | undefined {
  const match = COMMENT.exec(code);
  if (!match) return undefined;
  try {
    const json = JSON.parse(Buffer.from(match[1], "base64").toString("utf8")) as Record<string, unknown>;
    return typeof json.mappings === "string" ? { json, lines: decode(json.mappings) } : undefined;
  } catch {
    return undefined;
  }
}

/** The original 1-based line and column of generated 1-based `line` and `column`. */
export function originalPosition(map: InlineMap, line: number, column: number): { line: number; column: number } | undefined {
  const segments = (map.lines[line - 1] ?? []).filter((s) => s.length >= 4);
  let best = segments[0];
  for (const segment of segments) if (segment[0] <= column - 1) best = segment;
  return best ? { line: best[2] + 1, column: best[3] + 1 } : undefined;
}

/** Whether generated 1-based `line` and `column` lie under a mapping of the source's (one that starts at or before them on that line). */
function mapped(map: InlineMap, line: number, column: number): boolean {
  return (map.lines[line - 1] ?? []).some((s) => s.length >= 4 && s[0] <= column - 1);
}

/**
 * Functions found in compiled code, at their original lines (the end only as far as a map of
 * lines can tell). One that no mapping covers is the compiler's, not the source's: tsx's
 * module wrapper (`(()=>{…})()` around a CommonJS file) and esbuild's helpers (`__toESM`,
 * `__copyProps`, `__name`) written before the first mapped statement. They are marked
 * `generated` (compiler glue), where they would otherwise borrow the first line of the `.ts`.
 */
export function mapFunctions(map: InlineMap, functions: readonly FoundFunction[]): FoundFunction[] {
  return functions.map((fn) => {
    if (!mapped(map, fn.line, fn.column)) return { ...fn, generated: true };
    const start = originalPosition(map, fn.line, fn.column);
    if (!start) return fn;
    const end = fn.endLine === fn.line ? undefined : originalPosition(map, fn.endLine, 1);
    return { ...fn, line: start.line, column: start.column, endLine: Math.max(start.line, end?.line ?? start.line) };
  });
}

/** `transformed` (= `source` with `inserted`) with the map of `source` moved onto it. */
export function shiftInlineMap(source: string, transformed: string, map: InlineMap, inserted: readonly (readonly [number, number])[]): string {
  const lineStarts = [0];
  for (let i = source.indexOf("\n"); i >= 0; i = source.indexOf("\n", i + 1)) lineStarts.push(i + 1);
  const sorted = [...inserted].sort((a, b) => a[0] - b[0]);
  const lines = map.lines.map((segments, l) =>
    segments.map((segment) => {
      const offset = (lineStarts[l] ?? 0) + segment[0];
      let shift = 0;
      for (const [at, length] of sorted) if (at >= (lineStarts[l] ?? 0) && at <= offset) shift += length;
      return [segment[0] + shift, ...segment.slice(1)];
    }),
  );
  const json = JSON.stringify({ ...map.json, mappings: encode(lines) });
  return transformed.replace(COMMENT, `\n//# sourceMappingURL=data:application/json;base64,${Buffer.from(json).toString("base64")}`);
}
