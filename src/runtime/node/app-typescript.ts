/**
 * TypeScript entries (`trace-socket server.ts`), run the way TS users run them:
 * through tsx, registered in the traced process before trace-socket's own
 * loader, so the app's files reach the instrumentation already compiled (and
 * its ES modules pass trace-socket's loader after tsx's). Source maps are on,
 * as under tsx, so stack traces (and so each step's file:line) name the `.ts`
 * lines.
 */

import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { pathToFileURL } from "node:url";

/** True for an entry Node cannot run without a TypeScript loader. */
export function isTypeScript(file: string): boolean {
  return /\.[cm]?tsx?$/.test(file);
}

/** Registers tsx for both module systems. */
export async function registerTypeScript(): Promise<void> {
  process.setSourceMapsEnabled(true);
  const [esm, cjs] = await Promise.all([import("tsx/esm/api"), import("tsx/cjs/api")]);
  esm.register();
  cjs.register();
}

/** Whether a TypeScript file is an ES module: `.mts`, or `.ts` in a package of `"type": "module"`. */
function isModule(file: string): boolean {
  if (/\.mtsx?$/.test(file)) return true;
  if (/\.ctsx?$/.test(file)) return false;
  for (let dir = dirname(file); ; dir = dirname(dir)) {
    const manifest = join(dir, "package.json");
    if (existsSync(manifest)) {
      try {
        return (JSON.parse(readFileSync(manifest, "utf8")) as { type?: string }).type === "module";
      } catch {
        return false;
      }
    }
    if (dirname(dir) === dir) return false;
  }
}

/**
 * Runs the app's entry. A CommonJS TypeScript entry is required, as tsx runs
 * it: Node 20 would load it through its ES-module side, where `require` of a
 * JSON file (mime-db's, under express) fails.
 */
export async function runEntry(entry: string): Promise<void> {
  if (isTypeScript(entry) && !isModule(entry)) createRequire(entry)(entry);
  else await import(pathToFileURL(entry).href);
}
