/**
 * Docstring helper answers built by hand, for the tests of parsing and
 * rendering: the shape `trace_socket_docs.py` prints, with text that could
 * break a report if it were not escaped.
 */
import type { FlaskLibraryDocs, PyNameDoc } from "../../src/runtime/python/library-docs.js";

/** A resolved name with a docstring; `over` replaces any field. */
export function nameDoc(pkg: string, qualname: string, file: string, line: number, over: Partial<Extract<PyNameDoc, { ok: true }>> = {}): PyNameDoc {
  return { ok: true, pkg, qualname, kind: "function", signature: `${qualname.split(".").pop()}()`, defaults: {}, file, line, endLine: line + 10, doc: null, params: [], ...over };
}

/** Docs of the init and message steps' names, as Debian's versions would answer. */
export function sampleDocs(): FlaskLibraryDocs {
  return {
    python: "3.11.2",
    packages: {
      flask_socketio: { version: "5.3.2", dir: "/usr/lib/python3/dist-packages" },
      socketio: { version: "5.7.2", dir: "/usr/lib/python3/dist-packages" },
      engineio: { version: "4.3.4", dir: "/usr/lib/python3/dist-packages" },
    },
    names: {
      "flask_socketio.SocketIO.__init__": nameDoc("flask_socketio", "SocketIO.__init__", "flask_socketio/__init__.py", 171, {
        signature: "SocketIO(app=None, **kwargs)",
        defaults: { app: "None" },
        docFrom: "class",
        doc: "Create a Flask-SocketIO server.\n\n:param app: The flask application instance.\n:param ping_timeout: The time in seconds. The default\n    is 5 seconds.",
        params: [
          { name: "app", text: "The flask application instance.", line: 57, endLine: 57 },
          { name: "ping_timeout", text: "The time in seconds. The default is 5 seconds.", line: 131, endLine: 132 },
        ],
      }),
      "flask_socketio.SocketIO.init_app": nameDoc("flask_socketio", "SocketIO.init_app", "flask_socketio/__init__.py", 191),
      "socketio.Server.__init__": { ok: false, reason: "socketio has no attribute Server" },
      "engineio.Server.__init__": nameDoc("engineio", "Server.__init__", "engineio/server.py", 93, {
        signature: "Server(async_mode=None, ping_interval=25, ping_timeout=20)",
        defaults: { async_mode: "None", ping_interval: "25", ping_timeout: "20", cors_allowed_origins: "None" },
        docFrom: "class",
        doc: "An Engine.IO server | with a pipe.\n\nThis class implements ``*`` things.\nSecond line.",
        params: [
          { name: "cors_allowed_origins", text: "Origin or list of origins. Set this argument to ``'*'`` to allow all | origins <script>.", line: 58, endLine: 62 },
          { name: "ping_interval", text: "The interval in seconds. The default is 25 seconds.", line: 32, endLine: 36 },
          { name: "ping_timeout", text: "The time in seconds. The default is 20 seconds.", line: 37, endLine: 39 },
        ],
      }),
      "flask_socketio._SocketIOMiddleware.__init__": nameDoc("flask_socketio", "_SocketIOMiddleware.__init__", "flask_socketio/__init__.py", 34, {
        docFrom: "class",
        doc: "# Not a heading\nthis WSGI middleware `exposes` the app.",
      }),
    },
  };
}
