"""The tracer's outbox: records and messages queue up in ``pending`` as they happen and a
writer thread sends them to the CLI as JSON lines every few milliseconds. Part of
trace-socket's tracer (``tracer.py``); apart from it because the profile hook only appends
here, while batching, encoding and writing happen on other threads.

A record is a list (``[seq, op, fn, time, task, line, link]``), a message a dict; runs of
records leave as one ``records`` line. Messages are never dropped (they are few); the
profile hook counts the records it drops in ``dropped``.
"""
import collections
import itertools
import json
import os
import threading
import time

# The clock of every record and marker; the CLI learns its origin from the hello.
clock = time.perf_counter

pending = collections.deque()  # records (lists) and messages (dicts), in order
counter = itertools.count()  # seq of records and step markers, one sequence for both
dropped = [0]  # records dropped since the last write
_write_lock = threading.Lock()
_events_out = None


def open_events(fd):
    """Opens the CLI's event pipe (unbuffered: every write is a whole batch)."""
    global _events_out
    _events_out = os.fdopen(fd, "wb", buffering=0)


def emit(message):
    """Queues a message for the CLI; messages are never dropped (they are few)."""
    pending.append(message)


def write(lines):
    """Writes JSON lines to the CLI; a closed pipe means the CLI is gone, and so are we."""
    if not lines:
        return
    with _write_lock:
        try:
            _events_out.write(("\n".join(lines) + "\n").encode("utf-8"))
        except (BrokenPipeError, OSError):
            os._exit(0)


def drain():
    """Writes everything pending: runs of records become one ``records`` line."""
    lines = []
    batch = []
    for _ in range(len(pending)):
        item = pending.popleft()
        if isinstance(item, list):
            batch.append(item)
            continue
        if batch:
            lines.append(json.dumps({"t": "records", "r": batch}, separators=(",", ":")))
            batch = []
        lines.append(json.dumps(item, separators=(",", ":"), default=repr))
    if batch:
        lines.append(json.dumps({"t": "records", "r": batch}, separators=(",", ":")))
    if dropped[0]:
        lines.append(json.dumps({"t": "dropped", "calls": dropped[0]}))
        dropped[0] = 0
    write(lines)


def writer(flush_s):
    """The writer thread: drains every ``flush_s`` seconds, for ever."""
    while True:
        time.sleep(flush_s)
        drain()
