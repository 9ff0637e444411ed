/**
 * Finds installed packages: which package a traced file belongs to, what its
 * package.json says, and every installed copy of the family (ws is often
 * installed several times, at different versions, under engine.io and others).
 */
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { FAMILY } from "../trace/model.js";

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
