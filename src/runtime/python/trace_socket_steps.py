"""Stepping on the CLI's command: the reader thread takes ``mark``, ``continue``, ``flush``
and ``quit`` from the command pipe, and ``pause`` holds the app before each step until the
CLI says continue. Part of trace-socket's tracer (``tracer.py``); apart from it because it
is the control side, sharing only the outbox and the ``recording`` switch with the profile
hook.
"""
import json
import os
import threading

from trace_socket_app import live_values, wsgi_chain
from trace_socket_buffer import clock, counter, drain, emit, pending

# Off until the first step's marker: what runs before it is the tracer's own start-up.
recording = [False]
resume = threading.Event()


def reader(commands_in):
    """Commands from the CLI; EOF means the CLI is gone, and so are we."""
    for raw in commands_in:
        try:
            command = json.loads(raw)
        except ValueError:
            continue
        kind = command.get("t")
        if kind == "mark":
            recording[0] = True
            pending.append({"t": "marked", "step": command.get("step"), "seq": next(counter), "time": clock() * 1000.0})
        elif kind == "continue":
            resume.set()
        elif kind == "flush":
            pending.append({"t": "flushed", "id": command.get("id")})
        elif kind == "quit":
            break
    drain()
    os._exit(0)


def pause(entry, namespace):
    """Reports a step's pause with the app's live state, then waits for the CLI's continue."""
    resume.clear()
    emit({"t": "paused", "step": entry["step"], "line": entry["line"], "text": entry["text"], "values": live_values(namespace), "wsgi": wsgi_chain(namespace)})
    resume.wait()
