/**
 * Where the cache goes when nothing says: the user's project (found from the
 * working directory, not from trace-socket's own folder), else the user's
 * cache folder.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { defaultCacheDir } from "../../src/source/disk-cache.js";
import { removeTemporaryDirs, temporaryDir } from "./helpers/shared-cache.js";

afterAll(removeTemporaryDirs);

/** A folder with a package.json, and a node_modules folder when asked. */
function project(dir: string, withNodeModules: boolean): string {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "package.json"), "{}");
  if (withNodeModules) mkdirSync(join(dir, "node_modules"));
  return dir;
}

const HOME = { HOME: "/home/someone" };

describe("defaultCacheDir", () => {
  it("is TRACE_SOCKET_CACHE when set", () => {
    const dir = temporaryDir();
    expect(defaultCacheDir({ TRACE_SOCKET_CACHE: join(dir, "mine") }, project(join(dir, "p"), true))).toBe(join(dir, "mine"));
  });

  it("is the project's node_modules/.cache/trace-socket, found from a folder inside it", () => {
    const root = project(join(temporaryDir(), "app"), true);
    mkdirSync(join(root, "src", "deep"), { recursive: true });
    expect(defaultCacheDir(HOME, join(root, "src", "deep"))).toBe(join(root, "node_modules", ".cache", "trace-socket"));
  });

  it("is the workspace root's when the package has no node_modules of its own", () => {
    const root = project(join(temporaryDir(), "workspace"), true);
    const member = project(join(root, "packages", "server"), false);
    expect(defaultCacheDir(HOME, member)).toBe(join(root, "node_modules", ".cache", "trace-socket"));
  });

  it("is never inside an installed trace-socket when run from there", () => {
    const root = project(join(temporaryDir(), "app"), true);
    const installed = project(join(root, "node_modules", "trace-socket"), false);
    expect(defaultCacheDir(HOME, installed)).toBe(join(root, "node_modules", ".cache", "trace-socket"));
  });

  it("falls back to XDG_CACHE_HOME, then ~/.cache, without a project", () => {
    const lone = temporaryDir("trace-socket-no-project-");
    expect(defaultCacheDir({ ...HOME, XDG_CACHE_HOME: "/var/cache/someone" }, lone)).toBe(join("/var/cache/someone", "trace-socket"));
    expect(defaultCacheDir(HOME, lone)).toBe(join("/home/someone", ".cache", "trace-socket"));
    // The XDG spec ignores a relative XDG_CACHE_HOME.
    expect(defaultCacheDir({ ...HOME, XDG_CACHE_HOME: "cache" }, lone)).toBe(join("/home/someone", ".cache", "trace-socket"));
  });

  it("falls back when the project's node_modules is not a folder it can write", () => {
    const root = join(temporaryDir(), "odd");
    mkdirSync(root);
    writeFileSync(join(root, "package.json"), "{}");
    writeFileSync(join(root, "node_modules"), "not a folder");
    expect(defaultCacheDir(HOME, root)).toBe(join("/home/someone", ".cache", "trace-socket"));
  });
});
