/**
 * Python permalinks: pinned to the installed version's tag, with the upstream
 * layout, and honest about files Debian patched.
 */
import { describe, expect, it } from "vitest";
import { packagePath, pythonPermalink } from "../../src/runtime/python/permalinks.js";

const DIST = "/usr/lib/python3/dist-packages";

describe("pythonPermalink", () => {
  it("pins Flask-SocketIO to its v<version> tag under src/, with the function's lines", () => {
    const link = pythonPermalink({ pkg: "flask_socketio", version: "5.3.2", file: `${DIST}/flask_socketio/__init__.py`, line: 279, endLine: 289 });
    expect(link).toEqual({ url: "https://github.com/miguelgrinberg/Flask-SocketIO/blob/v5.3.2/src/flask_socketio/__init__.py#L279-L289", check: "verified" });
  });

  it("maps python-socketio, python-engineio (src/ layout) and eventlet (root layout)", () => {
    expect(pythonPermalink({ pkg: "socketio", version: "5.7.2", file: `${DIST}/socketio/server.py`, line: 172, endLine: 220 })?.url).toBe(
      "https://github.com/miguelgrinberg/python-socketio/blob/v5.7.2/src/socketio/server.py#L172-L220",
    );
    expect(pythonPermalink({ pkg: "engineio", version: "4.3.4", file: `${DIST}/engineio/async_drivers/eventlet.py`, line: 14, endLine: 14 })?.url).toBe(
      "https://github.com/miguelgrinberg/python-engineio/blob/v4.3.4/src/engineio/async_drivers/eventlet.py#L14",
    );
    expect(pythonPermalink({ pkg: "eventlet", version: "0.33.1", file: `${DIST}/eventlet/wsgi.py`, line: 884, endLine: 1010 })?.url).toBe(
      "https://github.com/eventlet/eventlet/blob/v0.33.1/eventlet/wsgi.py#L884-L1010",
    );
  });

  it("says when Debian patched the file, and when the version was never compared", () => {
    expect(pythonPermalink({ pkg: "eventlet", version: "0.33.1", file: `${DIST}/eventlet/greenio/py3.py`, line: 70, endLine: 75 })?.check).toBe("patched");
    expect(pythonPermalink({ pkg: "eventlet", version: "0.33.1", file: `${DIST}/eventlet/support/greendns.py`, line: 70, endLine: 75 })?.check).toBe("lines-differ");
    const other = pythonPermalink({ pkg: "flask_socketio", version: "5.3.6", file: `${DIST}/flask_socketio/__init__.py`, line: 1, endLine: 2 });
    expect(other?.check).toBe("unverified");
    expect(other?.note).toMatch(/not compared with the v5\.3\.6 tag/);
  });

  it("has no upstream link for the app's own code or a Node package", () => {
    expect(pythonPermalink({ pkg: "app", file: "traces/chat-flask/app.py", line: 24, endLine: 27 })).toBeUndefined();
    expect(pythonPermalink({ pkg: "socket.io", version: "4.8.1", file: "node_modules/socket.io/dist/index.js", line: 1, endLine: 2 })).toBeUndefined();
  });

  it("finds the path inside the package from any site-packages directory", () => {
    expect(packagePath("/home/u/.venv/lib/python3.12/site-packages/engineio/async_drivers/eventlet.py", "engineio")).toBe("async_drivers/eventlet.py");
  });
});
