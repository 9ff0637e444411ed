/**
 * The Flask-SocketIO side of each step, as pinned permalinks: Flask-SocketIO
 * at commit 91b5ddc (5.3.x) and the 5bytes app at 325c16e, the code the
 * hand-written report in `seed/` walked through. Only checked facts from
 * FLASK-SOCKETIO.md; links pin a commit, never `main`.
 */

/** Flask-SocketIO's commit the line numbers refer to. */
export const FLASK_SOCKETIO_COMMIT = "91b5ddc31bebeb6241d281252c711b160550ce01";

/** The 5bytes app's commit the line numbers refer to. */
export const FIVEBYTES_COMMIT = "325c16e9d3659d55ecb4abeef3986cdb32cee78a";

/** A line range in one of the two repositories. */
export interface FlaskLink {
  readonly repo: "flask-socketio" | "5bytes";
  readonly line: number;
  readonly endLine?: number;
  /** The code or name at that place. */
  readonly label: string;
  /** What the reader should know about it (a branch not taken, what it really does). */
  readonly note?: string;
}

const FILES: Readonly<Record<FlaskLink["repo"], { readonly base: string; readonly file: string }>> = {
  "flask-socketio": {
    base: `https://github.com/miguelgrinberg/Flask-SocketIO/blob/${FLASK_SOCKETIO_COMMIT}/src/flask_socketio/__init__.py`,
    file: "flask_socketio/__init__.py",
  },
  "5bytes": { base: `https://github.com/MaRonggg/5bytes/blob/${FIVEBYTES_COMMIT}/app.py`, file: "5bytes app.py" },
};

/** The permalink of a line range. */
export function flaskUrl(link: FlaskLink): string {
  const anchor = link.endLine !== undefined && link.endLine > link.line ? `#L${link.line}-L${link.endLine}` : `#L${link.line}`;
  return FILES[link.repo].base + anchor;
}

/** The file a link points into: `flask_socketio/__init__.py`, `5bytes app.py`. */
export function flaskFile(link: FlaskLink): string {
  return FILES[link.repo].file;
}

/** `L171`, `L25–27`. */
export function flaskLines(link: FlaskLink): string {
  return link.endLine !== undefined && link.endLine > link.line ? `L${link.line}–${link.endLine}` : `L${link.line}`;
}

/** Links per step id of the chat scenario. */
export const FLASK_LINKS: Readonly<Record<string, readonly FlaskLink[]>> = {
  init: [
    {
      repo: "5bytes",
      line: 25,
      endLine: 27,
      label: "SocketIO(app, cors_allowed_origins=[...])",
      note: "the origin list there is `['*', 'http://localhost:8000', 'http://localhost:8080']`; `'*'` inside a list is a literal string, not a wildcard",
    },
    { repo: "flask-socketio", line: 171, label: "SocketIO.__init__" },
    { repo: "flask-socketio", line: 186, endLine: 187, label: "self.init_app(app, ...)", note: "called at once because an app is given" },
    { repo: "flask-socketio", line: 152, label: "cors_allowed_origins", note: "its docstring" },
    { repo: "flask-socketio", line: 191, label: "init_app" },
    { repo: "flask-socketio", line: 196, label: "server_options", note: "the keyword arguments are merged into it" },
    { repo: "flask-socketio", line: 197, label: "manage_session", note: "popped from the server options" },
    { repo: "flask-socketio", line: 243, label: "socketio.Server(**server_options)" },
  ],
  handlers: [
    { repo: "5bytes", line: 31, label: "@socketio.on('message')", note: "the app's one event handler" },
    { repo: "flask-socketio", line: 258, label: "on()" },
    { repo: "flask-socketio", line: 279, label: "decorator" },
    { repo: "flask-socketio", line: 286, label: "self.server.on(...)", note: "the branch taken: the server already exists, built in init" },
    {
      repo: "flask-socketio",
      line: 288,
      label: "self.handlers.append(...)",
      note: "not taken for this app: only when SocketIO was built without an app",
    },
    { repo: "flask-socketio", line: 245, endLine: 246, label: "handlers replayed", note: "in `init_app`, for that app-factory form" },
  ],
  middleware: [
    {
      repo: "flask-socketio",
      line: 250,
      endLine: 256,
      label: "app.wsgi_app = _SocketIOMiddleware(self.server, app, socketio_path=...)",
      note: "a WSGI wrapper: `/socket.io/…` goes to Engine.IO, everything else to Flask",
    },
  ],
  run: [
    { repo: "5bytes", line: 102, label: "socketio.run(app, host='0.0.0.0', port=8000, debug=True)" },
    { repo: "flask-socketio", line: 553, label: "run()" },
    {
      repo: "flask-socketio",
      line: 653,
      label: "async_mode == 'eventlet'",
      note: "the branch taken: eventlet is installed and the app starts with `python3 app.py` (threading is forced only under `flask run`)",
    },
    { repo: "flask-socketio", line: 683, label: "run_with_reloader(run_server)", note: "taken: `debug=True` turns the reloader on" },
    { repo: "flask-socketio", line: 685, label: "run_server()", note: "not taken for this app" },
    {
      repo: "flask-socketio",
      line: 679,
      label: "eventlet.wsgi.server(...)",
      note: "serves WSGI only; the WebSocket upgrade happens inside python-engineio",
    },
  ],
  connect: [
    {
      repo: "flask-socketio",
      line: 152,
      label: "cors_allowed_origins",
      note: "python-engineio answers HTTP 400 to a non-listed Origin; the default `None` allows the same origin only",
    },
  ],
  message: [
    {
      repo: "5bytes",
      line: 31,
      label: "@socketio.on('message')",
      note: "needs `email` in the session and broadcasts with `send(..., broadcast=True)`: `io.emit` / `io.send` in socket.io",
    },
  ],
};

/**
 * Whether a report carries the Flask-SocketIO counterpart: only when its
 * scenario says what the counterpart of its steps is. A user's own app has
 * none, and the chat's links keyed by step id would be false there.
 */
export function hasFlaskCounterpart(sources: { readonly steps: ReadonlyMap<string, { readonly flask?: string }> }): boolean {
  for (const step of sources.steps.values()) if (step.flask) return true;
  return false;
}
