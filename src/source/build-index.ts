/**
 * Builds the index of one installed package with ts-morph: every function of
 * its JavaScript, the doc comments of its declarations. This is the cold path;
 * its result is cached so that later runs never load ts-morph.
 */
import type { Dirent } from "node:fs";
import { readdir, readFile } from "node:fs/promises";
import { dirname, join, relative } from "node:path";
import { readManifest } from "./package-locate.js";
import { scanDeclarations } from "./scan-declarations.js";
import { scanFunctions } from "./scan-functions.js";
import { createScratchProject, loadTsMorph } from "./ts-morph-loader.js";
import { FAMILY_BROWSER_FOLDERS } from "../trace/model.js";
import { INDEX_FORMAT, type IndexedFile, type PackageIndex, type TypeDecl } from "./types.js";

/** Folders that hold no server code: tests, examples, the browser bundle served as a file. */
const SKIPPED_DIRS = new Set([
  "node_modules",
  "client-dist",
  "test",
  "tests",
  "__tests__",
  "example",
  "examples",
  "bench",
  "benchmark",
  "docs",
  "coverage",
]);

const SCRIPT = /\.(?:c|m)?js$/;
const DECLARATION = /\.d\.(?:c|m)?ts$/;

/**
 * Package-relative paths (with `/`) of the scripts and declaration files to parse; `skip` is a
 * folder (`ui/`) whose files are left out.
 */
export async function listPackageFiles(absDir: string, skip?: string): Promise<{ scripts: string[]; declarations: string[] }> {
  const scripts: string[] = [];
  const declarations: string[] = [];
  async function walk(rel: string): Promise<void> {
    let names: Dirent[];
    try {
      names = await readdir(join(absDir, rel), { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of names) {
      const path = rel === "" ? entry.name : `${rel}/${entry.name}`;
      if (skip !== undefined && `${path}/`.startsWith(skip)) continue;
      if (entry.isDirectory()) {
        if (!SKIPPED_DIRS.has(entry.name) && !entry.name.startsWith(".")) await walk(path);
      } else if (DECLARATION.test(entry.name)) {
        declarations.push(path);
      } else if (SCRIPT.test(entry.name) && !entry.name.endsWith(".min.js")) {
        scripts.push(path);
      }
    }
  }
  await walk("");
  return { scripts: scripts.sort(), declarations: declarations.sort() };
}

/**
 * Where a package without declarations of its own gets them: the nearest
 * `node_modules/@types/<name>` above it (cors is typed by @types/cors).
 */
export async function findTypesPackage(absDir: string, name: string): Promise<{ dir: string; id: string } | undefined> {
  const typesName = name.startsWith("@") ? name.slice(1).replace("/", "__") : name;
  let current = absDir;
  for (;;) {
    const parent = dirname(current);
    if (parent === current) return undefined;
    if (parent.endsWith("node_modules")) {
      const dir = join(parent, "@types", typesName);
      const manifest = await readManifest(dir);
      if (manifest) return { dir, id: `${manifest.name}@${manifest.version}` };
    }
    current = parent;
  }
}

/** Parses the package at `absDir` (name and version as its package.json says). */
export async function buildPackageIndex(absDir: string, name: string, version: string): Promise<PackageIndex> {
  const started = performance.now();
  const tsm = await loadTsMorph();
  const project = createScratchProject(tsm);
  const { scripts, declarations } = await listPackageFiles(absDir, FAMILY_BROWSER_FOLDERS[name]);
  const declared = new Set(declarations);

  const files: Record<string, IndexedFile> = {};
  for (const path of scripts) {
    const bytes = await readFile(join(absDir, path));
    const source = project.createSourceFile(`/package/${path}`, bytes.toString("utf8"), { overwrite: true });
    const { functions, classes } = scanFunctions(tsm, source);
    files[path] = {
      size: bytes.length,
      compiled: declared.has(path.replace(SCRIPT, ".d.ts")),
      functions,
      classes,
    };
    project.removeSourceFile(source);
  }

  const types: TypeDecl[] = [];
  let typesFrom: string | undefined;
  let typeFiles = declarations.map((path) => ({ abs: join(absDir, path), path }));
  if (typeFiles.length === 0) {
    const typesPackage = await findTypesPackage(absDir, name);
    if (typesPackage) {
      typesFrom = typesPackage.id;
      const found = await listPackageFiles(typesPackage.dir);
      typeFiles = found.declarations.map((path) => ({
        abs: join(typesPackage.dir, path),
        // Recorded relative to the package, so the entry stays valid wherever it is installed.
        path: relative(absDir, join(typesPackage.dir, path)).replace(/\\/g, "/"),
      }));
    }
  }
  for (const [i, { abs, path }] of typeFiles.entries()) {
    const source = project.createSourceFile(`/types/${i}.d.ts`, await readFile(abs, "utf8"), { overwrite: true });
    types.push(...scanDeclarations(tsm, source, path));
    project.removeSourceFile(source);
  }

  return {
    format: INDEX_FORMAT,
    name,
    version,
    files,
    types,
    ...(typesFrom !== undefined && { typesFrom }),
    buildMs: Math.round(performance.now() - started),
  };
}
