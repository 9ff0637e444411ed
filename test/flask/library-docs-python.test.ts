/**
 * The real docstring helper under Debian's Python: what it says of
 * `socketio.Server.on` and of the `cors_allowed_origins` paragraph matches the
 * installed files, read here line by line. Skipped, saying why, when
 * `/usr/bin/python3` lacks the packages.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { DOC_NAMES } from "../../src/runtime/python/doc-catalogue.js";
import { loadFlaskLibraryDocs, type FlaskLibraryDocs, type PyNameDoc } from "../../src/runtime/python/library-docs.js";
import { python, pythonAvailable, skipReason } from "./helpers.js";

type Resolved = Extract<PyNameDoc, { ok: true }>;

function resolved(docs: FlaskLibraryDocs, name: string): Resolved {
  const doc = docs.names[name];
  if (!doc?.ok) throw new Error(`${name} did not resolve: ${doc ? doc.reason : "missing"}`);
  return doc;
}

function installedLines(docs: FlaskLibraryDocs, file: string): string[] {
  const dir = docs.packages[file.split("/")[0]]?.dir;
  if (!dir) throw new Error(`no directory for ${file}`);
  return readFileSync(join(dir, file), "utf8").split("\n");
}

describe.skipIf(!pythonAvailable)(`trace_socket_docs.py${skipReason}`, () => {
  let docs: FlaskLibraryDocs | undefined;
  const load = async (): Promise<FlaskLibraryDocs> => (docs ??= await loadFlaskLibraryDocs({ python, names: [...DOC_NAMES, "socketio.Server.no_such_method", "os.path.join"], cacheDir: null }));

  it("resolves every name of the catalogue", async () => {
    const all = await load();
    expect(all.reason).toBeUndefined();
    for (const name of DOC_NAMES) expect(all.names[name], name).toMatchObject({ ok: true });
    expect(all.names["socketio.Server.no_such_method"]).toEqual({ ok: false, reason: "socketio.Server has no attribute no_such_method" });
    expect(all.names["os.path.join"]).toMatchObject({ ok: false, reason: expect.stringContaining("not one of the traced packages") });
  });

  it("gives socketio.Server.on's docstring and source lines as they are in the installed file", async () => {
    const all = await load();
    const on = resolved(all, "socketio.Server.on");
    expect(on.file).toBe("socketio/server.py");
    expect(on.signature).toBe("on(event, handler=None, namespace=None)");
    const lines = installedLines(all, on.file);
    expect(lines[on.line - 1]).toMatch(/^\s*def on\(self, event, handler=None, namespace=None\):/);
    // The docstring's lines follow the def, in order, within the function's lines.
    const body = lines.slice(on.line, on.endLine).map((l) => l.trim());
    const docLines = on.doc!.split("\n").map((l) => l.trim()).filter(Boolean);
    expect(docLines[0]).toBe("Register an event handler.");
    expect(body[0]).toBe(`"""${docLines[0]}`);
    let at = 0;
    for (const line of docLines) {
      at = body.indexOf(line, at) >= 0 ? body.indexOf(line, at) : body.findIndex((l, i) => i >= at && l.startsWith(`"""${line}`));
      expect(at, line).toBeGreaterThanOrEqual(0);
    }
    expect(all.packages.socketio.version).toMatch(/^\d+\.\d+/);
  });

  it("finds cors_allowed_origins's paragraph in engineio.Server's class docstring, at its line", async () => {
    const all = await load();
    const server = resolved(all, "engineio.Server.__init__");
    expect(server.docFrom).toBe("class");
    expect(server.defaults.cors_allowed_origins).toBe("None");
    const cors = server.params.find((p) => p.name === "cors_allowed_origins")!;
    expect(cors.text).toMatch(/^Origin or list of origins that are allowed to connect/);
    const lines = installedLines(all, server.file);
    const paragraph = lines.slice(cors.line! - 1, cors.endLine).map((l) => l.trim()).join(" ");
    expect(paragraph).toBe(`:param cors_allowed_origins: ${cors.text}`);
    // The Flask-SocketIO docstring repeats it; its line is in flask_socketio's file.
    const flask = resolved(all, "flask_socketio.SocketIO.__init__").params.find((p) => p.name === "cors_allowed_origins")!;
    expect(installedLines(all, "flask_socketio/__init__.py")[flask.line! - 1]).toContain(":param cors_allowed_origins:");
  });

  it("borrows a constructor's docstring from its class, never object's", async () => {
    const all = await load();
    expect(resolved(all, "flask_socketio.SocketIO.__init__").doc).toMatch(/^Create a Flask-SocketIO server\./);
    expect(resolved(all, "flask_socketio.SocketIO.init_app").doc).toBeNull();
  });
});
