/**
 * Finds installed packages: which package a traced file belongs to, what its
 * package.json says, which copy Node loads from a given folder, and every
 * installed copy of the family (ws is often installed several times, at
 * different versions, under engine.io and others).
 */
import { existsSync, realpathSync } from "node:fs";
import { readdir, readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { join, resolve } from "node:path";
import { FAMILY, type FamilyPackage } from "../trace/model.js";

/** A file located inside an installed package. */
export interface PackageFile {
  /** Package name (`ws`, `@scope/name`). */
  readonly name: string;
  /** Package folder relative to the project root: `node_modules/engine.io/node_modules/ws`. */
  readonly dir: string;
  /** File path inside the package: `lib/websocket.js`. */
  readonly path: string;
}

/** The package.json fields the index uses. */
export interface PackageManifest {
  readonly name: string;
  readonly version: string;
  readonly license?: unknown;
  readonly licenses?: unknown;
  readonly repository?: unknown;
}

/** An installed copy of a family package. */
export interface InstalledPackage {
  readonly name: string;
  readonly version: string;
  /** Relative to the project root, with `/`. */
  readonly dir: string;
}

/** Splits `node_modules/a/node_modules/ws/lib/x.js` at its innermost package. Pure. */
export function packageOfFile(file: string): PackageFile | undefined {
  const normalized = file.replace(/\\/g, "/");
  const marker = "node_modules/";
  const at = normalized.lastIndexOf(marker);
  if (at < 0 || (at > 0 && normalized[at - 1] !== "/")) return undefined;
  const rest = normalized.slice(at + marker.length).split("/");
  const nameParts = rest[0]?.startsWith("@") ? 2 : 1;
  if (rest.length <= nameParts) return undefined;
  const name = rest.slice(0, nameParts).join("/");
  return {
    name,
    dir: normalized.slice(0, at + marker.length) + name,
    path: rest.slice(nameParts).join("/"),
  };
}

/**
 * The folder of package `name` as Node finds it for a module in `fromDir`:
 * the first of Node's own search list (`node_modules` from there up to the
 * root, then `NODE_PATH` and the global folders) that holds its package.json,
 * with symlinks followed as Node follows them for the files it loads. The
 * folder is found the same whatever `exports` says: `exports` only maps paths
 * inside it.
 */
export function resolvePackageDir(name: string, fromDir: string): string | undefined {
  const searched = createRequire(join(resolve(fromDir), "index.js")).resolve.paths(name) ?? [];
  for (const nodeModules of searched) {
    const dir = join(nodeModules, name);
    if (!existsSync(join(dir, "package.json"))) continue;
    try {
      return realpathSync(dir);
    } catch {
      return undefined;
    }
  }
  return undefined;
}

/** Which family package requires each other one (socket.io is required by the app). */
const REQUIRED_BY: Partial<Record<FamilyPackage, FamilyPackage>> = {
  "engine.io": "socket.io",
  "socket.io-parser": "socket.io",
  "socket.io-adapter": "socket.io",
  "engine.io-parser": "engine.io",
  ws: "engine.io",
  cors: "engine.io",
};

/**
 * The copy of `name` that a server in `fromDir` runs: socket.io resolved from
 * there, every other family package from the copy of the package that requires
 * it (a version conflict nests engine.io's own ws under it). Names outside the
 * family, and family packages their dependent cannot reach, resolve from `fromDir`.
 */
export function resolveFamilyDir(name: string, fromDir: string): string | undefined {
  const dependent = Object.hasOwn(REQUIRED_BY, name) ? REQUIRED_BY[name as FamilyPackage] : undefined;
  const dependentDir = dependent === undefined ? undefined : resolveFamilyDir(dependent, fromDir);
  return (dependentDir === undefined ? undefined : resolvePackageDir(name, dependentDir)) ?? resolvePackageDir(name, fromDir);
}

/** Reads `<dir>/package.json`; undefined when absent or without name and version. */
export async function readManifest(absDir: string): Promise<PackageManifest | undefined> {
  try {
    const value: unknown = JSON.parse(await readFile(join(absDir, "package.json"), "utf8"));
    if (typeof value !== "object" || value === null) return undefined;
    const { name, version } = value as Record<string, unknown>;
    if (typeof name !== "string" || typeof version !== "string") return undefined;
    return value as PackageManifest;
  } catch {
    return undefined;
  }
}

async function entries(dir: string): Promise<string[]> {
  try {
    return await readdir(dir);
  } catch {
    return [];
  }
}

/** Package folders directly inside a `node_modules`, scoped ones included. */
async function packagesIn(nodeModules: string): Promise<string[]> {
  const names: string[] = [];
  for (const entry of await entries(nodeModules)) {
    if (entry.startsWith(".")) continue;
    if (entry.startsWith("@")) {
      for (const scoped of await entries(join(nodeModules, entry))) names.push(`${entry}/${scoped}`);
    } else {
      names.push(entry);
    }
  }
  return names;
}

/**
 * Every installed copy of the family under the project, nested copies included
 * (npm nests a package when versions conflict; three levels covers real trees).
 */
export async function findInstalledFamily(projectRoot: string, maxDepth = 3): Promise<InstalledPackage[]> {
  const family = new Set<string>(FAMILY);
  const found: InstalledPackage[] = [];
  async function visit(relDir: string, depth: number): Promise<void> {
    const nodeModules = relDir === "" ? "node_modules" : `${relDir}/node_modules`;
    const names = await packagesIn(join(projectRoot, nodeModules));
    await Promise.all(
      names.map(async (name) => {
        const dir = `${nodeModules}/${name}`;
        if (family.has(name)) {
          const manifest = await readManifest(join(projectRoot, dir));
          if (manifest) found.push({ name, version: manifest.version, dir });
        }
        if (depth < maxDepth) await visit(dir, depth + 1);
      }),
    );
  }
  await visit("", 1);
  const order = (name: string): number => FAMILY.indexOf(name as (typeof FAMILY)[number]);
  return found.sort((a, b) => order(a.name) - order(b.name) || a.dir.length - b.dir.length || a.dir.localeCompare(b.dir));
}
