/**
 * The user's line each step of a JavaScript scenario file pauses before, read
 * from the file with the same anchor matching the loader uses to insert the
 * pauses (so the line shown is the line that paused), and the version a
 * package.json states.
 */
import { readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { parse } from "acorn";
import type { UserCode } from "../trace/model.js";
import { pauseInsertions, type PausePoint, type StepAnchor } from "../instrument/step-points.js";
import type { AstNode } from "../instrument/naming.js";

/** The lines of `file` where the steps of `anchors` start. */
export function stepLines(file: string, side: "server" | "client", anchors: readonly StepAnchor[], root: string): Map<number, UserCode> {
  const out = new Map<number, UserCode>();
  try {
    const source = readFileSync(file, "utf8");
    const program = parse(source, { ecmaVersion: "latest", sourceType: "module", locations: true }) as unknown as AstNode;
    const points: PausePoint[] = [];
    pauseInsertions(program, source, anchors, points);
    const lines = source.split("\n");
    for (const point of points) {
      out.set(point.step, { file: relative(root, file).replaceAll("\\", "/"), line: point.line, text: lines[point.line - 1].trim(), side });
    }
  } catch {
    // A scenario file that does not parse has no step lines; the run itself reports the error.
  }
  return out;
}

/** The `version` of the package.json in `dir`, if it can be read. */
export function readVersion(dir: string): string | undefined {
  try {
    return (JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as { version?: string }).version;
  } catch {
    return undefined;
  }
}
