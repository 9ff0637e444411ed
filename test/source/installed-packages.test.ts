/**
 * Which installed copy of a package Node gives a module, for a project where
 * trace-socket is installed: hoisted beside it, nested under it, nested under
 * the family package that requires it, or linked.
 */
import { cpSync, mkdirSync, symlinkSync, writeFileSync } from "node:fs";
import { join, sep } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { installRoot } from "../../src/trace/scenario.js";
import { openSourceIndex } from "../../src/source/index.js";
import { resolveFamilyDir, resolvePackageDir } from "../../src/source/package-locate.js";
import { installedVersion } from "./helpers/function-info.js";
import { PROJECT_ROOT } from "./helpers/paths.js";
import { removeTemporaryDirs, seededCacheDir, temporaryDir } from "./helpers/shared-cache.js";

afterAll(removeTemporaryDirs);

/** A package folder holding only its package.json. */
function fakePackage(dir: string, name: string, version: string): string {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "package.json"), JSON.stringify({ name, version }));
  return dir;
}

/** `<project>/node_modules/trace-socket/traces/chat`, the built-in chat of an installed trace-socket. */
function installedChat(project: string): string {
  const chat = join(project, "node_modules", "trace-socket", "traces", "chat");
  mkdirSync(chat, { recursive: true });
  fakePackage(join(project, "node_modules", "trace-socket"), "trace-socket", "0.1.0");
  return chat;
}

describe("installRoot", () => {
  it("is the folder above the outermost node_modules, or the folder itself", () => {
    expect(installRoot("/p/node_modules/trace-socket")).toBe(`${sep}p`);
    expect(installRoot("/p/node_modules/a/node_modules/trace-socket")).toBe(`${sep}p`);
    expect(installRoot("/p/node_modules/.pnpm/trace-socket@0.1.0/node_modules/trace-socket")).toBe(`${sep}p`);
    expect(installRoot("/home/me/trace-socket")).toBe(`${sep}home${sep}me${sep}trace-socket`);
  });
});

describe("resolvePackageDir", () => {
  it("finds a package hoisted beside trace-socket from the chat's folder", () => {
    const project = temporaryDir("trace-socket-hoisted-");
    const chat = installedChat(project);
    const hoisted = fakePackage(join(project, "node_modules", "socket.io"), "socket.io", "4.8.1");
    expect(resolvePackageDir("socket.io", chat)).toBe(hoisted);
    expect(resolvePackageDir("engine.io", chat)).toBeUndefined();
  });

  it("prefers the copy nested under trace-socket to the project's own", () => {
    const project = temporaryDir("trace-socket-nested-");
    const chat = installedChat(project);
    fakePackage(join(project, "node_modules", "socket.io"), "socket.io", "4.7.0");
    const nested = fakePackage(join(project, "node_modules", "trace-socket", "node_modules", "socket.io"), "socket.io", "4.8.1");
    expect(resolvePackageDir("socket.io", chat)).toBe(nested);
    expect(resolvePackageDir("socket.io", project)).toBe(join(project, "node_modules", "socket.io"));
  });

  it("follows a linked package to its real folder, as Node does for the files it loads", () => {
    const project = temporaryDir("trace-socket-linked-");
    const store = fakePackage(join(project, "store", "socket.io"), "socket.io", "4.8.1");
    mkdirSync(join(project, "node_modules"));
    symlinkSync(store, join(project, "node_modules", "socket.io"), "dir");
    expect(resolvePackageDir("socket.io", project)).toBe(store);
  });
});

describe("resolveFamilyDir", () => {
  it("resolves each family package from the copy of the package that requires it", () => {
    const project = temporaryDir("trace-socket-family-");
    const modules = join(project, "node_modules");
    fakePackage(join(modules, "socket.io"), "socket.io", "4.8.1");
    const engine = fakePackage(join(modules, "socket.io", "node_modules", "engine.io"), "engine.io", "6.6.4");
    fakePackage(join(modules, "engine.io"), "engine.io", "6.5.0");
    const ws = fakePackage(join(engine, "node_modules", "ws"), "ws", "8.17.1");
    fakePackage(join(modules, "ws"), "ws", "8.18.0");
    const cors = fakePackage(join(modules, "cors"), "cors", "2.8.5");
    expect(resolveFamilyDir("engine.io", project)).toBe(engine);
    expect(resolveFamilyDir("ws", project)).toBe(ws);
    expect(resolveFamilyDir("cors", project)).toBe(cors);
    expect(resolveFamilyDir("left-pad", project)).toBeUndefined();
  });
});

describe("the source index of an installed trace-socket", () => {
  it("quotes the docs of the copy the chat runs, nested or hoisted, with paths relative to the project", async () => {
    const project = temporaryDir("trace-socket-docs-");
    const chat = installedChat(project);
    // The project's own socket.io is another version, without typings; trace-socket's nested copy is the real one.
    fakePackage(join(project, "node_modules", "socket.io"), "socket.io", "4.0.0");
    cpSync(join(PROJECT_ROOT, "node_modules", "socket.io"), join(project, "node_modules", "trace-socket", "node_modules", "socket.io"), { recursive: true });
    cpSync(join(PROJECT_ROOT, "node_modules", "engine.io"), join(project, "node_modules", "engine.io"), { recursive: true });
    const index = await openSourceIndex(project, { cacheDir: seededCacheDir(), offline: true, resolveFrom: chat });
    const [attach] = await index.methodDocs(["Server.attach"]);
    expect(attach?.declaredIn).toMatchObject({
      pkg: "socket.io",
      version: installedVersion("node_modules/socket.io"),
      file: "node_modules/trace-socket/node_modules/socket.io/dist/index.d.ts",
    });
    const [pingInterval] = await index.optionDocs(["pingInterval"]);
    expect(pingInterval?.declaredIn).toMatchObject({ pkg: "engine.io", file: "node_modules/engine.io/build/server.d.ts" });
    const fromProject = await openSourceIndex(project, { cacheDir: seededCacheDir(), offline: true });
    expect((await fromProject.methodDocs(["socket.io:Server.attach"]))[0]?.reason).toMatch(/not declared/);
  });

  it("locates a traced file by where it is, even on a path that climbs out of the root", async () => {
    const project = temporaryDir("trace-socket-climb-");
    const root = join(project, "node_modules", "trace-socket");
    fakePackage(root, "trace-socket", "0.1.0");
    cpSync(join(PROJECT_ROOT, "node_modules", "cors"), join(project, "node_modules", "cors"), { recursive: true });
    const index = await openSourceIndex(root, { cacheDir: seededCacheDir(), offline: true });
    const functions = await index.functionsIn("../cors/lib/index.js");
    expect(functions.map((f) => f.name)).toContain("configureOrigin");
  });
});
