import { describe, expect, it } from "vitest";
import { withPythonPermalink } from "../../src/runtime/python/source-view.js";
import { withRuntimeLinks } from "../../src/runtime/source-links.js";
import type { SourceView } from "../../src/source/types.js";

describe("withPythonPermalink", () => {
  it("gives a Python function its pinned upstream link when the index had none", () => {
    const view: SourceView = {
      fn: { id: 1, name: "SocketIO.on", file: "/usr/lib/python3/dist-packages/flask_socketio/__init__.py", line: 258, column: 1, endLine: 290, pkg: "flask_socketio", version: "5.3.2", kind: "method" },
      local: { path: "x", line: 258, endLine: 290, text: "x:258" },
      upstream: { kind: "unavailable", reason: "not inside an installed package" },
      notes: ["…/flask_socketio/__init__.py is not inside an installed package"],
    } as SourceView;
    const out = withPythonPermalink(view);
    expect(out.upstream).toMatchObject({ kind: "permalink", owner: "miguelgrinberg", repo: "Flask-SocketIO", tag: "v5.3.2", startLine: 258, endLine: 290 });
    expect(out.upstream.kind === "permalink" && out.upstream.url).toContain("/blob/v5.3.2/src/flask_socketio/__init__.py#L258-L290");
    expect(out.notes).toEqual([]);
  });
});

describe("withRuntimeLinks", () => {
  const local = { path: "x", line: 1, endLine: 2, text: "x:1" };
  it("pins a Python function's upstream link without the caller naming the runtime", async () => {
    const view = {
      fn: { id: 2, name: "Server.emit", file: "/usr/lib/python3/dist-packages/socketio/server.py", line: 100, column: 1, endLine: 120, pkg: "socketio", version: "5.8.0", kind: "method" },
      local,
      upstream: { kind: "unavailable", reason: "not inside an installed package" },
      notes: [],
    } as SourceView;
    expect((await withRuntimeLinks(view)).upstream).toMatchObject({ kind: "permalink", owner: "miguelgrinberg", repo: "python-socketio", startLine: 100, endLine: 120 });
  });

  it("leaves a Node function's view as the source index made it", async () => {
    const view = {
      fn: { id: 3, name: "Server.attach", file: "/p/node_modules/socket.io/dist/index.js", line: 10, column: 1, endLine: 20, pkg: "socket.io", version: "4.8.1", kind: "method" },
      local,
      upstream: { kind: "unavailable", reason: "offline" },
      notes: ["offline"],
    } as SourceView;
    expect(await withRuntimeLinks(view)).toBe(view);
  });
});
