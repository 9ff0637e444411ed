import { describe, expect, it } from "vitest";
import { withPythonPermalink } from "../../src/runtime/python/source-view.js";
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
