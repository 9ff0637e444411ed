/**
 * Compiles the source index to plain JS in a temporary folder, so a child
 * `node` process can run it exactly as the built CLI would: no vitest, no
 * transform, nothing loaded that the code does not load itself.
 */
import { mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import ts from "typescript";
import { PROJECT_ROOT } from "./paths.js";
import { temporaryDir } from "./shared-cache.js";

const FOLDERS = ["source", "trace", "instrument"];

/** Returns the folder holding `source/*.js`, `trace/*.js` and `instrument/*.js` (the naming rules the index shares), with node_modules linked in. */
export function transpileSourceIndex(): string {
  const out = temporaryDir("trace-socket-js-");
  for (const folder of FOLDERS) {
    const from = join(PROJECT_ROOT, "src", folder);
    mkdirSync(join(out, folder), { recursive: true });
    for (const name of readdirSync(from).filter((n) => n.endsWith(".ts"))) {
      const { outputText } = ts.transpileModule(readFileSync(join(from, name), "utf8"), {
        compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, verbatimModuleSyntax: true },
        fileName: name,
      });
      writeFileSync(join(out, folder, name.replace(/\.ts$/, ".js")), outputText);
    }
  }
  writeFileSync(join(out, "package.json"), '{ "type": "module" }\n');
  symlinkSync(join(PROJECT_ROOT, "node_modules"), join(out, "node_modules"), "junction");
  return out;
}
