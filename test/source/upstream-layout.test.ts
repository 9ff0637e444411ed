import { describe, expect, it } from "vitest";
import { permalinkUrl, rawFileUrl, sourcePathOf, upstreamSources } from "../../src/source/upstream-layout.js";

describe("upstream layout", () => {
  it("looks for monorepo packages at <pkg>@<version>, in packages/<pkg>/ then at the root, then in the old repository", () => {
    expect(upstreamSources("engine.io", "6.6.4")).toEqual([
      { owner: "socketio", repo: "socket.io", tag: "engine.io@6.6.4", prefix: "packages/engine.io/" },
      { owner: "socketio", repo: "socket.io", tag: "engine.io@6.6.4", prefix: "" },
      { owner: "socketio", repo: "engine.io", tag: "6.6.4", prefix: "" },
    ]);
    expect(upstreamSources("socket.io", "4.8.1")[0]).toMatchObject({ tag: "socket.io@4.8.1", prefix: "packages/socket.io/" });
    expect(upstreamSources("socket.io", "4.8.1")[2]).toMatchObject({ repo: "socket.io", tag: "4.8.1" });
  });

  it("uses ws's bare version tags and cors's v-prefixed ones", () => {
    expect(upstreamSources("ws", "8.18.0")).toEqual([{ owner: "websockets", repo: "ws", tag: "8.18.0", prefix: "" }]);
    expect(upstreamSources("cors", "2.8.5")).toEqual([{ owner: "expressjs", repo: "cors", tag: "v2.8.5", prefix: "" }]);
  });

  it("finds the Admin UI and the msgpack parser in their own repositories, tagged with the bare version", () => {
    expect(upstreamSources("@socket.io/admin-ui", "0.5.1")).toEqual([{ owner: "socketio", repo: "socket.io-admin-ui", tag: "0.5.1", prefix: "" }]);
    expect(upstreamSources("socket.io-msgpack-parser", "3.0.2")).toEqual([{ owner: "socketio", repo: "socket.io-msgpack-parser", tag: "3.0.2", prefix: "" }]);
  });

  it("finds the Redis Streams, Postgres and MongoDB adapters in their own repositories, tagged with the bare version", () => {
    expect(upstreamSources("@socket.io/redis-streams-adapter", "0.3.1")).toEqual([{ owner: "socketio", repo: "socket.io-redis-streams-adapter", tag: "0.3.1", prefix: "" }]);
    expect(upstreamSources("@socket.io/postgres-adapter", "0.5.0")).toEqual([{ owner: "socketio", repo: "socket.io-postgres-adapter", tag: "0.5.0", prefix: "" }]);
    expect(upstreamSources("@socket.io/mongo-adapter", "0.4.0")).toEqual([{ owner: "socketio", repo: "socket.io-mongo-adapter", tag: "0.4.0", prefix: "" }]);
  });

  it("finds the packages across servers at their own tags: the Redis adapter and sticky bare, the cluster adapter in the monorepo (issue 16)", () => {
    // As the repositories tag them: socket.io-redis-adapter `8.3.0`, socket.io-sticky `1.0.4`,
    // socket.io `@socket.io/cluster-adapter@0.3.0` with the package under packages/socket.io-cluster-adapter/.
    expect(upstreamSources("@socket.io/redis-adapter", "8.3.0")).toEqual([{ owner: "socketio", repo: "socket.io-redis-adapter", tag: "8.3.0", prefix: "" }]);
    expect(upstreamSources("@socket.io/sticky", "1.0.4")).toEqual([{ owner: "socketio", repo: "socket.io-sticky", tag: "1.0.4", prefix: "" }]);
    expect(upstreamSources("@socket.io/cluster-adapter", "0.3.0")).toEqual([{ owner: "socketio", repo: "socket.io", tag: "@socket.io/cluster-adapter@0.3.0", prefix: "packages/socket.io-cluster-adapter/" }]);
    expect(permalinkUrl(upstreamSources("@socket.io/cluster-adapter", "0.3.0")[0], "packages/socket.io-cluster-adapter/lib/index.ts", 5, 9))
      .toBe("https://github.com/socketio/socket.io/blob/%40socket.io%2Fcluster-adapter%400.3.0/packages/socket.io-cluster-adapter/lib/index.ts#L5-L9");
  });

  it("never invents a tag for an unknown package or a non-release version", () => {
    expect(upstreamSources("express", "4.0.0")).toEqual([]);
    expect(upstreamSources("socket.io", "^4.8.1")).toEqual([]);
    expect(upstreamSources("socket.io", "main")).toEqual([]);
    expect(upstreamSources("socket.io-parser", "4.0.1-rc3")).toHaveLength(3);
  });

  it("maps compiled output back to lib/*.ts and keeps shipped sources as they are", () => {
    expect(sourcePathOf("build/server.js", true)).toBe("lib/server.ts");
    expect(sourcePathOf("build/transports/polling.js", true)).toBe("lib/transports/polling.ts");
    expect(sourcePathOf("build/cjs/index.js", true)).toBe("lib/index.ts");
    expect(sourcePathOf("build/esm-debug/binary.js", true)).toBe("lib/binary.ts");
    expect(sourcePathOf("dist/namespace.js", true)).toBe("lib/namespace.ts");
    expect(sourcePathOf("lib/websocket.js", false)).toBe("lib/websocket.js");
  });

  it("builds raw URLs and permalinks with the tag encoded", () => {
    const source = { owner: "socketio", repo: "socket.io", tag: "socket.io@4.8.1", prefix: "packages/socket.io/" };
    expect(rawFileUrl("http://127.0.0.1:4000/", source, "packages/socket.io/lib/index.ts")).toBe(
      "http://127.0.0.1:4000/socketio/socket.io/socket.io%404.8.1/packages/socket.io/lib/index.ts",
    );
    expect(permalinkUrl(source, "packages/socket.io/lib/index.ts", 10, 42)).toBe(
      "https://github.com/socketio/socket.io/blob/socket.io%404.8.1/packages/socket.io/lib/index.ts#L10-L42",
    );
  });
});
