"""trace-socket's Python tracer: runs a Flask-SocketIO app one step at a time under
``sys.setprofile`` and streams what ran to the trace-socket CLI.

Loaded by ``/usr/bin/python3 src/runtime/python/tracer.py`` (never imported by the app). The CLI
passes its configuration as JSON in ``TRACE_SOCKET_FLASK``::

    {"app": "/abs/app.py", "anchors": [{"step": 0, "anchor": "SocketIO(app"}, ...],
     "events_fd": 3, "commands_fd": 4, "capacity": 200000, "flush_ms": 25,
     "packages": {module: distribution, ...}}

Events leave on ``events_fd`` as JSON lines (the app keeps stdout and stderr to itself);
commands (``mark``, ``continue``, ``quit``) arrive on ``commands_fd`` as JSON lines.

Only functions of the configuration's ``packages`` (flask_socketio, socketio, engineio, and
eventlet, the async driver, minus its own machinery) and the app file are recorded. A record is ``[seq, op, fn, time, task, line, link]``:
op 1 is a call (``line``: the line of the nearest traced caller that made it), op 2 a
return (``line``: the line that returned); ``task`` numbers the greenlet (or thread) the
frame runs on; ``link`` is, on a task's first record, the seq of the call that spawned it.
Buffers are bounded: past ``capacity`` pending records, records are dropped and counted.

This module is the profile hook and what it records; its helpers sit beside it: the outbox
(``trace_socket_buffer``), the command reader and step pauses (``trace_socket_steps``),
task numbering (``trace_socket_tasks``), function names (``trace_socket_names``) and
running the app (``trace_socket_app``).
"""
import json
import os
import sys
import threading
import time
import traceback

# The tracer's own modules sit beside this script (sys.path[0] until the app takes it over).
# Under PYTHONSAFEPATH (or -P) Python leaves the script's folder off the path: put it first,
# where run_app expects it and removes it again.
_HERE = os.path.dirname(os.path.abspath(__file__))
if getattr(sys.flags, "safe_path", False):
    sys.path.insert(0, _HERE)
from trace_socket_app import run_app
from trace_socket_buffer import clock as _clock, counter, drain, dropped, emit, open_events, pending, writer
from trace_socket_names import describe
from trace_socket_steps import pause, reader, recording
from trace_socket_tasks import note_spawn, task_of

CONFIG = json.loads(os.environ.pop("TRACE_SOCKET_FLASK", "{}"))
APP = os.path.abspath(CONFIG["app"])
CAPACITY = int(CONFIG.get("capacity", 200000))
FLUSH_S = float(CONFIG.get("flush_ms", 25)) / 1000.0

# The traced packages, and the distribution that installs each (for its version): the CLI's
# one list of them (PYTHON_DISTRIBUTIONS), handed over in the configuration.
PACKAGES = CONFIG["packages"]
# eventlet's own machinery is left out, as Node's libuv and core modules are on the Node
# side: the hub loop, green locks, events, queues and the green stdlib run between every
# two library calls and would drown them. What stays is what serves the app: the WSGI
# server, its WebSocket, green sockets, green threads and pools.
EXCLUDED_PATHS = (
    "eventlet/hubs/",
    "eventlet/support/",
    "eventlet/green/",
    "eventlet/semaphore.py",
    "eventlet/lock.py",
    "eventlet/event.py",
    "eventlet/queue.py",
    "eventlet/corolocal.py",
    "eventlet/patcher.py",
    "eventlet/timeout.py",
)
CO_OPTIMIZED = 0x1
EXPRESSIONS = frozenset(("<genexpr>", "<listcomp>", "<dictcomp>", "<setcomp>"))

open_events(int(CONFIG.get("events_fd", 3)))
commands_in = os.fdopen(int(CONFIG.get("commands_fd", 4)), "rb", buffering=0)

# Epoch ms at perf_counter() == 0, so the CLI can place our times on its own clock.
TIME_ORIGIN = time.time() * 1000.0 - _clock() * 1000.0


def package_roots():
    import importlib.util

    roots = {}
    for name in PACKAGES:
        try:
            spec = importlib.util.find_spec(name)
        except (ImportError, ValueError):
            spec = None
        if spec and spec.submodule_search_locations:
            roots[name] = os.path.join(os.path.realpath(list(spec.submodule_search_locations)[0]), "")
    return roots


def package_versions():
    from importlib import metadata

    versions = {}
    for name, dist in PACKAGES.items():
        try:
            versions[name] = metadata.version(dist)
        except metadata.PackageNotFoundError:
            pass
    return versions


ROOTS = package_roots()

# code object -> function id (>= 0) or -1 when not traced
code_ids = {}
functions = []
WSGI_SERVER = [None]


IMPORT = -2


def import_node(code, file, pkg):
    """A function entry for the import of a traced module, named after the module."""
    fid = len(functions)
    root = ROOTS.get(pkg, "")
    module = file[len(root) - len(pkg) - 1 :] if root else os.path.basename(file)
    module = module[:-3].replace("/", ".").removesuffix(".__init__") if module.endswith(".py") else module
    info = {"id": fid, "name": f"<import {module}>", "file": file, "line": 1, "column": 1, "endLine": 1, "pkg": pkg, "kind": "function", "member": "<module>"}
    functions.append(info)
    emit({"t": "functions", "list": [info]})
    return fid


def classify(code, frame=None):
    """Assigns an id to a code object of a traced file, -1 to any other."""
    file = code.co_filename
    fid = -1
    pkg = None
    if file == APP:
        pkg = "app"
    else:
        for name, root in ROOTS.items():
            if file.startswith(root):
                pkg = name
                break
        if pkg == "eventlet" and any(part in file for part in EXCLUDED_PATHS):
            pkg = None
    if code.co_name == "<module>" and file != APP:
        # A module body runs once, at import: the import is a node, what it runs is not.
        fid = IMPORT if pkg is None else -3 - import_node(code, file, pkg)
        code_ids[code] = fid
        return fid
    # Class bodies run at import too (and only then); they are not functions. Comprehensions
    # and generator expressions are expressions: a generator's every step would be a "call".
    if pkg is not None and code.co_flags & CO_OPTIMIZED and code.co_name not in EXPRESSIONS:
        fid = len(functions)
        info = describe(code, fid, file, pkg, frame)
        functions.append(info)
        emit({"t": "functions", "list": [info]})
        if pkg == "eventlet" and code.co_name == "server" and file.endswith("/eventlet/wsgi.py"):
            WSGI_SERVER[0] = code
    code_ids[code] = fid
    return fid


entries = {}  # id(frame) -> seq of its call record


def caller_line(frame):
    """The line of the nearest traced caller (or of the app) at which this call was made, or -1."""
    back = frame.f_back
    hops = 0
    while back is not None and hops < 12:
        if back.f_code.co_filename == APP:
            return back.f_lineno  # the app's own line, top level included
        fid = code_ids.get(back.f_code)
        if fid is None:
            fid = classify(back.f_code, back)
        if fid >= 0:
            return back.f_lineno
        back = back.f_back
        hops += 1
    return -1


importing = [0]


def profile(frame, event, arg):
    if event != "call" and event != "return":
        return
    if not recording[0]:
        return
    try:
        code = frame.f_code
        fid = code_ids.get(code)
        if fid is None:
            fid = classify(code, frame)
        if fid < -1:
            # A module body: note the import (once, as a call of its own), hide what it runs.
            if event == "call":
                importing[0] += 1
                if importing[0] > 1:
                    return
            else:
                importing[0] = max(0, importing[0] - 1)
                if importing[0] > 0:
                    return
            if fid == IMPORT:
                return
            fid = -3 - fid
        elif fid < 0 or importing[0]:
            return
        if len(pending) >= CAPACITY:
            dropped[0] += 1
            return
        task, link = task_of()
        seq = next(counter)
        now = _clock() * 1000.0
        if event == "call":
            entries[id(frame)] = seq
            pending.append([seq, 1, fid, now, task, caller_line(frame), link])
            if code is WSGI_SERVER[0]:
                report_listening(frame)
        else:
            entry = entries.pop(id(frame), -1)
            pending.append([seq, 2, fid, now, task, frame.f_lineno, link])
            if arg is not None and entry >= 0:
                note_spawn(arg, entry)
    except Exception:  # the tracer must never raise into the traced app
        dropped[0] += 1


def report_listening(frame):
    sock = frame.f_locals.get("sock")
    try:
        host, port = sock.getsockname()[:2]
        emit({"t": "listening", "host": host, "port": port})
    except Exception as error:  # noqa: BLE001 - reported, not raised
        emit({"t": "notice", "text": f"could not read the listening address: {error}"})


def main():
    emit(
        {
            "t": "hello",
            "pid": os.getpid(),
            "python": sys.version.split()[0],
            "timeOrigin": TIME_ORIGIN,
            "roots": ROOTS,
            "versions": package_versions(),
        }
    )
    threading.Thread(target=writer, args=(FLUSH_S,), name="trace-socket-writer", daemon=True).start()
    threading.Thread(target=reader, args=(commands_in,), name="trace-socket-reader", daemon=True).start()
    sys.setprofile(profile)
    threading.setprofile(profile)
    try:
        run_app(APP, CONFIG.get("anchors", []), emit, pause)
    except SystemExit:
        pass
    except BaseException as error:  # noqa: BLE001 - reported to the CLI
        emit({"t": "app-error", "message": str(error), "stack": traceback.format_exc()})
        sys.setprofile(None)
        drain()
        os._exit(1)
    sys.setprofile(None)
    emit({"t": "app-done"})
    drain()
    # The CLI decides when we end (quit or EOF on the command pipe).
    threading.Event().wait()


if __name__ == "__main__":
    main()
