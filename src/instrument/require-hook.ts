/**
 * Instruments CommonJS files as Node compiles them: the family's installed
 * files (socket.io's own, engine.io's, ws, cors…) and the traced app's own.
 * ESM `import` of the family reaches this too, since its packages are CommonJS.
 */
import Module from "node:module";
import { basename } from "node:path";
import { familyFile, isAppFile, isCompiled } from "./family.js";
import { mapFunctions, readInlineMap, shiftInlineMap } from "./source-map-shift.js";
import type { FunctionRegistry } from "./function-registry.js";
import { transformSource } from "./transform.js";
import type { TransformCache } from "./transform-cache.js";

/** Called for files that could not be parsed (they run untraced). */
export type TransformFailure = (file: string, reason: string) => void;

/** Called once a family file has run, with its final exports. */
export type FamilyLoaded = (pkg: string, file: string, exports: unknown) => void;

/**
 * Patches `Module.prototype._compile`; `appRoot` is where the app's own files
 * live, if traced; `cache` keeps transformed files between runs.
 */
export function instrumentRequire(registry: FunctionRegistry, appRoot: string | undefined, onFailure: TransformFailure, cache?: TransformCache, onLoaded?: FamilyLoaded): void {
  const proto = Module.prototype as unknown as { _compile(content: string, filename: string): unknown };
  const original = proto._compile;
  proto._compile = function _compile(this: { exports?: unknown }, content: string, filename: string) {
    const family = familyFile(filename);
    const app = !family && appRoot !== undefined && isAppFile(filename, appRoot);
    if (family || app) {
      const base = registry.nextId();
      // Compiled TypeScript: functions at their .ts lines, and the map moved along the insertions (not cached).
      const map = app && isCompiled(filename) ? readInlineMap(content) : undefined;
      const options = { sourceType: "script", idBase: base, moduleName: basename(filename), reportInsertions: map !== undefined } as const;
      const result = cache && !map ? cache.through(content, options, () => transformSource(content, options)) : transformSource(content, options);
      if (result.error) {
        onFailure(filename, result.error);
      } else {
        registry.add(base, filename, family ? family.pkg : "app", family ? registry.versionOf(family.root) : undefined, map ? mapFunctions(map, result.functions) : result.functions);
        content = map && result.inserted ? shiftInlineMap(content, result.code, map, result.inserted) : result.code;
      }
    }
    const result = original.call(this, content, filename);
    if (family && onLoaded) onLoaded(family.pkg, filename, this.exports);
    return result;
  };
}
