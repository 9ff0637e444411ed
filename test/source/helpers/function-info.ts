/**
 * Trace nodes for tests, built the way the recorder would: from a position in
 * an installed file, with the installed version.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { FamilyPackage, FunctionInfo } from "../../../src/trace/model.js";
import type { IndexedFunction, SourceIndex } from "../../../src/source/index.js";
import { PROJECT_ROOT } from "./paths.js";

/** The version of an installed package folder (relative to the project root). */
export function installedVersion(dir: string): string {
  return (JSON.parse(readFileSync(join(PROJECT_ROOT, dir, "package.json"), "utf8")) as { version: string }).version;
}

/** A FunctionInfo for an indexed entry of `file` in package `pkg`. */
export function toFunctionInfo(pkg: FamilyPackage, file: string, entry: IndexedFunction, id = 0): FunctionInfo {
  const dir = file.slice(0, file.indexOf(`node_modules/${pkg}/`) + `node_modules/${pkg}`.length);
  return {
    id,
    name: entry.name,
    file,
    line: entry.line,
    column: entry.column,
    endLine: entry.endLine,
    pkg,
    version: installedVersion(dir),
    kind: entry.kind,
    ...(entry.className !== undefined && { className: entry.className }),
    ...(entry.member !== undefined && { member: entry.member }),
    ...(entry.enclosing !== undefined && { enclosing: entry.enclosing }),
    ...(entry.generated !== undefined && { generated: entry.generated }),
  };
}

/** The FunctionInfo of the function so named in an installed file; throws when absent (a test bug). */
export async function traceNode(index: SourceIndex, pkg: FamilyPackage, file: string, name: string): Promise<FunctionInfo> {
  const entry = (await index.functionsIn(file)).find((f) => f.name === name);
  if (!entry) throw new Error(`${name} is not indexed in ${file}`);
  return toFunctionInfo(pkg, file, entry);
}
