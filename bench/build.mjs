#!/usr/bin/env node
// Emits bench/**/*.ts into dist/bench/ (run `tsc -p bench` first: this step only transpiles).
// The bench imports the code by its source paths (../../src/scenario/runner.js) so that the
// type check follows renames; here each such import is pointed at the same module in dist/,
// the very files the traced processes load (one module instance, e.g. for the ablations).
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";

const BENCH = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(BENCH, "..");
const SRC = join(ROOT, "src");
const OUT = join(ROOT, "dist", "bench");

/** `specifier` as written in `file`, re-pointed from src/ to dist/ for the emitted `outFile`. */
function pointAtDist(specifier, file, outFile) {
  if (!specifier.startsWith(".")) return specifier;
  const target = resolve(dirname(file), specifier);
  if (!target.startsWith(`${SRC}/`)) return specifier;
  const built = join(ROOT, "dist", relative(SRC, target));
  const path = relative(dirname(outFile), built);
  return path.startsWith(".") ? path : `./${path}`;
}

function rewriter(file, outFile) {
  return (context) => {
    const { factory } = context;
    const visit = (node) => {
      if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
        const to = pointAtDist(node.moduleSpecifier.text, file, outFile);
        if (to !== node.moduleSpecifier.text) {
          return ts.isImportDeclaration(node)
            ? factory.updateImportDeclaration(node, node.modifiers, node.importClause, factory.createStringLiteral(to), node.attributes)
            : factory.updateExportDeclaration(node, node.modifiers, node.isTypeOnly, node.exportClause, factory.createStringLiteral(to), node.attributes);
        }
      }
      if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword && node.arguments[0] && ts.isStringLiteral(node.arguments[0])) {
        const to = pointAtDist(node.arguments[0].text, file, outFile);
        if (to !== node.arguments[0].text) return factory.updateCallExpression(node, node.expression, node.typeArguments, [factory.createStringLiteral(to)]);
      }
      return ts.visitEachChild(node, visit, context);
    };
    return (source) => ts.visitNode(source, visit);
  };
}

function sources(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sources(path);
    return entry.name.endsWith(".ts") ? [path] : [];
  });
}

const { config } = ts.readConfigFile(join(BENCH, "tsconfig.json"), ts.sys.readFile);
const { options } = ts.parseJsonConfigFileContent(config, ts.sys, BENCH);
rmSync(OUT, { recursive: true, force: true });
for (const file of sources(BENCH)) {
  const outFile = join(OUT, relative(BENCH, file)).replace(/\.ts$/, ".js");
  const { outputText } = ts.transpileModule(readFileSync(file, "utf8"), {
    fileName: file,
    // ESM, as the package is: transpiled alone, a file would not know the package type and become CommonJS.
    compilerOptions: { ...options, module: ts.ModuleKind.ESNext, noEmit: false, sourceMap: false, incremental: false, tsBuildInfoFile: undefined },
    transformers: { before: [rewriter(file, outFile)] },
  });
  mkdirSync(dirname(outFile), { recursive: true });
  writeFileSync(outFile, outputText);
}
