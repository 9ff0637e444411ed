/**
 * Package indexes by installed folder: read from the cache when the entry
 * matches the installed files, otherwise built (ts-morph) and cached. A cache
 * hit touches only `fs`; this is what keeps a second run free of ts-morph.
 */
import { stat } from "node:fs/promises";
import { join } from "node:path";
import { buildPackageIndex, findTypesPackage } from "./build-index.js";
import { readCachedJson, writeAtomic } from "./disk-cache.js";
import { readManifest } from "./package-locate.js";
import { INDEX_FORMAT, type PackageIndex } from "./types.js";

/** An index together with where its package is installed. */
export interface LoadedPackage {
  /** Relative to the project root, with `/`. */
  readonly dir: string;
  readonly index: PackageIndex;
}

/** Why a package could not be indexed. */
export interface PackageUnavailable {
  readonly reason: string;
}

/** Counters for the README's cost table and for tests of cache reuse. */
export interface IndexStoreStats {
  readonly builds: number;
  readonly cacheHits: number;
}

/** Hands out package indexes, each loaded or built at most once per store. */
export interface PackageIndexStore {
  get(dir: string): Promise<LoadedPackage | PackageUnavailable>;
  stats(): IndexStoreStats;
}

/** `<cache>/index/<name>@<version>.v<format>.json`. */
export function indexCacheFile(cacheDir: string, name: string, version: string): string {
  return join(cacheDir, "index", `${name.replace("/", "+")}@${version}.v${INDEX_FORMAT}.json`);
}

function isPackageIndex(value: unknown): value is PackageIndex {
  if (typeof value !== "object" || value === null) return false;
  const v = value as Record<string, unknown>;
  if (v["format"] !== INDEX_FORMAT || typeof v["name"] !== "string" || typeof v["version"] !== "string") return false;
  if (!Array.isArray(v["types"]) || typeof v["files"] !== "object" || v["files"] === null) return false;
  return Object.values(v["files"] as Record<string, unknown>).every((file) => {
    const f = file as Record<string, unknown> | null;
    return typeof f?.["size"] === "number" && Array.isArray(f["functions"]) && Array.isArray(f["classes"]);
  });
}

/** A cached entry is reused only while every indexed file still has its recorded size. */
async function matchesInstalled(absDir: string, index: PackageIndex): Promise<boolean> {
  const checks = Object.entries(index.files).map(async ([path, file]) => {
    try {
      return (await stat(join(absDir, path))).size === file.size;
    } catch {
      return false;
    }
  });
  if (index.typesFrom !== undefined) {
    checks.push(findTypesPackage(absDir, index.name).then((types) => types?.id === index.typesFrom));
  }
  return (await Promise.all(checks)).every(Boolean);
}

/** Creates a store over one project and cache folder. */
export function createPackageIndexStore(projectRoot: string, cacheDir: string): PackageIndexStore {
  const loading = new Map<string, Promise<LoadedPackage | PackageUnavailable>>();
  let builds = 0;
  let cacheHits = 0;

  async function load(dir: string): Promise<LoadedPackage | PackageUnavailable> {
    const absDir = join(projectRoot, dir);
    const manifest = await readManifest(absDir);
    if (!manifest) return { reason: `no readable package.json in ${dir}` };
    const file = indexCacheFile(cacheDir, manifest.name, manifest.version);
    const cached = await readCachedJson(file, isPackageIndex);
    if (
      cached &&
      cached.name === manifest.name &&
      cached.version === manifest.version &&
      (await matchesInstalled(absDir, cached))
    ) {
      cacheHits++;
      return { dir, index: cached };
    }
    try {
      const index = await buildPackageIndex(absDir, manifest.name, manifest.version);
      builds++;
      await writeAtomic(file, JSON.stringify(index));
      return { dir, index };
    } catch (error) {
      return { reason: `could not parse ${manifest.name}@${manifest.version}: ${(error as Error).message}` };
    }
  }

  return {
    get(dir) {
      let pending = loading.get(dir);
      if (!pending) {
        pending = load(dir);
        loading.set(dir, pending);
      }
      return pending;
    },
    stats: () => ({ builds, cacheHits }),
  };
}
