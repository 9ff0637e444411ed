/**
 * Which loaded files are instrumented: the family wherever npm put it, and the
 * app's own files even when the app itself lives inside a node_modules (the
 * built-in chat of an installed trace-socket).
 */
import { describe, expect, it } from "vitest";
import { familyFile, isAppFile } from "../../src/instrument/family.js";

describe("familyFile", () => {
  it("recognises hoisted, nested and pnpm copies, and nothing else", () => {
    expect(familyFile("/p/node_modules/socket.io/dist/index.js")).toEqual({ pkg: "socket.io", root: "/p/node_modules/socket.io" });
    expect(familyFile("/p/node_modules/trace-socket/node_modules/engine.io/build/server.js")).toEqual({
      pkg: "engine.io",
      root: "/p/node_modules/trace-socket/node_modules/engine.io",
    });
    expect(familyFile("/p/node_modules/.pnpm/ws@8.18.0/node_modules/ws/lib/websocket.js")?.pkg).toBe("ws");
    expect(familyFile("/p/node_modules/trace-socket/traces/chat/server.mjs")).toBeUndefined();
    expect(familyFile("/p/node_modules/engine.io/node_modules/debug/src/index.js")).toBeUndefined();
  });

  it("takes the Admin UI's server side and the msgpack parser, but not the Admin UI's browser app", () => {
    expect(familyFile("/p/node_modules/@socket.io/admin-ui/dist/index.js")).toEqual({ pkg: "@socket.io/admin-ui", root: "/p/node_modules/@socket.io/admin-ui" });
    expect(familyFile("/p/node_modules/@socket.io/admin-ui/ui/dist/js/app.js")).toBeUndefined();
    expect(familyFile("/p/node_modules/socket.io-msgpack-parser/index.js")?.pkg).toBe("socket.io-msgpack-parser");
  });

  it("takes the Redis Streams, Postgres and MongoDB adapters, but not their own dependencies", () => {
    for (const pkg of ["@socket.io/redis-streams-adapter", "@socket.io/postgres-adapter", "@socket.io/mongo-adapter"]) {
      expect(familyFile(`/p/node_modules/${pkg}/dist/index.js`)).toEqual({ pkg, root: `/p/node_modules/${pkg}` });
    }
    expect(familyFile("/p/node_modules/@socket.io/postgres-adapter/node_modules/debug/src/index.js")).toBeUndefined();
    expect(familyFile("/p/node_modules/pg/lib/client.js")).toBeUndefined();
  });
});

describe("isAppFile", () => {
  it("takes the app's files under its root, in a clone or installed, but not its dependencies", () => {
    expect(isAppFile("/home/me/trace-socket/traces/chat/server.mjs", "/home/me/trace-socket/traces/chat")).toBe(true);
    const installed = "/p/node_modules/trace-socket/traces/chat";
    expect(isAppFile(`${installed}/server.mjs`, installed)).toBe(true);
    expect(isAppFile(`${installed}/node_modules/lodash/index.js`, installed)).toBe(false);
    expect(isAppFile("/p/node_modules/socket.io/dist/index.js", installed)).toBe(false);
    expect(isAppFile(`${installed}/index.html`, installed)).toBe(false);
    expect(isAppFile("/p/app/server.js", "/p/app")).toBe(true);
    expect(isAppFile("/p/app/node_modules/x/index.js", "/p/app")).toBe(false);
  });
});
