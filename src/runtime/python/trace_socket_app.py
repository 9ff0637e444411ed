"""Runs a Flask-SocketIO app step by step, the way trace-socket's Node side runs a socket.io
one: the app file executes as ``__main__`` statement by statement, and before the top-level
statement holding each step's anchor text the tracer pauses until the CLI says continue.
At each pause it reports the live configuration of the app's SocketIO objects and the chain
of WSGI callables in front of Flask. Part of trace-socket's tracer (``tracer.py``).
"""
import ast
import builtins
import json
import os
import sys
import types


def statement_span(statement):
    """First and last line of a top-level statement, decorators included."""
    first = min([statement.lineno] + [d.lineno for d in getattr(statement, "decorator_list", [])])
    return first, statement.end_lineno


def plan_pauses(tree, lines, anchors):
    """Which statement each step pauses before, and the line that holds its anchor."""
    plan = {}
    start = 0
    body = tree.body
    for anchor in anchors:
        for index in range(start, len(body)):
            first, last = statement_span(body[index])
            text = lines[first - 1 : last]
            hit = next((i for i, line in enumerate(text) if anchor["anchor"] in line), None)
            if hit is None:
                continue
            line = first + hit
            plan.setdefault(index, []).append({"step": anchor["step"], "line": line, "text": lines[line - 1].strip()})
            start = index
            break
    return plan


def live_values(namespace):
    """Configuration of the SocketIO objects the app built so far, for the narration."""
    out = {}
    flask_socketio = sys.modules.get("flask_socketio")
    for value in list(namespace.values()):
        if flask_socketio is not None and isinstance(value, flask_socketio.SocketIO) and value.server is not None:
            eio = value.server.eio
            out.update(
                {
                    "asyncMode": str(eio.async_mode),
                    "origins": json.dumps(eio.cors_allowed_origins),
                    "pingInterval": str(int(eio.ping_interval * 1000)),
                    "pingTimeout": str(int(eio.ping_timeout * 1000)),
                    "transports": json.dumps(list(getattr(eio, "transports", ["polling", "websocket"]))),
                    "manageSession": str(value.manage_session),
                    "handlers": str(sum(len(h) for h in value.server.handlers.values())),
                }
            )
            middleware = getattr(value, "sockio_mw", None)
            if middleware is not None:
                out["path"] = "/" + middleware.engineio_path.strip("/")
    return out


def wsgi_chain(namespace):
    """What serves the Flask app's requests: the names along app.wsgi_app."""
    flask = sys.modules.get("flask")
    chain = []
    for value in list(namespace.values()):
        if flask is not None and isinstance(value, flask.Flask):
            wsgi = value.wsgi_app
            hops = 0
            while wsgi is not None and hops < 6:
                target = getattr(wsgi, "__func__", None) or type(wsgi).__call__
                code = getattr(target, "__code__", None)
                where = f" ({code.co_filename}:{code.co_firstlineno})" if code else ""
                owner = getattr(wsgi, "__self__", None)
                label = f"{type(owner).__name__}.{wsgi.__name__}" if owner is not None else type(wsgi).__name__
                chain.append(label + where)
                wsgi = getattr(wsgi, "wsgi_app", None) if owner is None else None
                hops += 1
            break
    return chain


def run_app(app, anchors, emit, pause):
    """Runs the app file as ``__main__``, one top-level statement at a time, calling
    ``pause(entry, namespace)`` before each statement that starts a step."""
    source = open(app, encoding="utf-8").read()
    lines = source.split("\n")
    tree = ast.parse(source, app)
    plan = plan_pauses(tree, lines, anchors)
    emit({"t": "steps", "list": [entry for entries in plan.values() for entry in entries]})
    module = types.ModuleType("__main__")
    module.__file__ = app
    module.__builtins__ = builtins
    sys.modules["__main__"] = module
    sys.argv = [app]
    if getattr(sys.flags, "safe_path", False):
        # PYTHONSAFEPATH / -P: Python puts no script folder on the path, so neither does the app get one.
        del sys.path[0]
    else:
        sys.path[0] = os.path.dirname(app)
    namespace = module.__dict__
    for index, statement in enumerate(tree.body):
        for entry in plan.get(index, []):
            pause(entry, namespace)
        code = compile(ast.Module(body=[statement], type_ignores=[]), app, "exec")
        exec(code, namespace)  # noqa: S102 - running the app is the point
