/**
 * ESM loader hooks (run in Node's loader thread): instrument the traced app's
 * own ES modules, and insert the step pauses into the built-in scenario.
 *
 * The loader thread cannot reach the recorder, so each transformed module
 * registers its own function table when it is evaluated, through a global the
 * traced process set up, with ids from a range of its own.
 */
import { fileURLToPath } from "node:url";
import { basename } from "node:path";
import { LOADER_ID_BASE } from "./function-registry.js";
import { isAppFile, isCompiled } from "./family.js";
import { pauseInsertions, type PausePoint, type StepAnchor } from "./step-points.js";
import { transformSource, type FoundFunction } from "./transform.js";
import { mapFunctions, readInlineMap, shiftInlineMap } from "./source-map-shift.js";
import type { Insertion } from "./insertions.js";

/** The global transformed ES modules call with their function table. */
export const TABLE_GLOBAL = "__traceSocketTable";

/** Data passed to `initialize` by `module.register`. */
export interface LoaderData {
  /** Directory of the app's own files to instrument; undefined: instrument none. */
  readonly appRoot?: string;
  /** Absolute path of the module that gets step pauses, and where. */
  readonly pauses?: { readonly file: string; readonly anchors: readonly StepAnchor[] };
}

let data: LoaderData = {};
let nextId = LOADER_ID_BASE;

/** Receives the configuration from the traced process. */
export function initialize(value: LoaderData): void {
  data = value ?? {};
}

type LoadResult = { format?: string; source?: string | ArrayBuffer | Uint8Array; shortCircuit?: boolean };
type NextLoad = (url: string, context: { format?: string }) => Promise<LoadResult>;

/** Transforms the app's ES modules; everything else loads as usual. */
export async function load(url: string, context: { format?: string }, nextLoad: NextLoad): Promise<LoadResult> {
  const result = await nextLoad(url, context);
  if (!url.startsWith("file:") || result.format !== "module" || result.source === undefined) return result;
  const file = fileURLToPath(url);
  const paused = data.pauses?.file === file;
  const instrument = data.appRoot !== undefined && isAppFile(file, data.appRoot);
  if (!paused && !instrument) return result;
  const source = typeof result.source === "string" ? result.source : new TextDecoder().decode(result.source);
  const points: PausePoint[] = [];
  const extra = paused ? (program: Parameters<typeof pauseInsertions>[0]): Insertion[] => pauseInsertions(program, source, data.pauses!.anchors, points) : undefined;
  const base = nextId;
  // Compiled TypeScript: its functions are shown at their .ts lines, and its map follows the insertions.
  const map = instrument && isCompiled(file) ? readInlineMap(source) : undefined;
  const header = (functions: readonly FoundFunction[]): string =>
    `globalThis.${TABLE_GLOBAL}?.(${base},${JSON.stringify(file)},${JSON.stringify(map ? mapFunctions(map, functions) : functions)});`;
  const transformed = transformSource(source, { sourceType: "module", idBase: base, extra, header, pausesOnly: !instrument, moduleName: basename(file), reportInsertions: map !== undefined });
  if (transformed.error) return result;
  nextId += transformed.functions.length;
  const code = map && transformed.inserted ? shiftInlineMap(source, transformed.code, map, transformed.inserted) : transformed.code;
  return { ...result, source: code };
}
