"""Which task a frame runs on: a small number per greenlet (or per thread without
greenlet), and, for a task's first record, the traced call that spawned it. Part of
trace-socket's tracer (``tracer.py``); apart from it because this bookkeeping is
independent of what is traced, and the profile hook only asks it two questions.
"""
import itertools
import threading
import weakref

try:
    from greenlet import getcurrent, greenlet as greenlet_type
except ImportError:  # pragma: no cover - eventlet needs greenlet; without it, tasks are threads
    getcurrent = None
    greenlet_type = ()

tasks = weakref.WeakKeyDictionary()
thread_tasks = {}
spawned = weakref.WeakKeyDictionary()  # greenlet -> seq of the traced call that returned it
next_task = itertools.count(1)


def task_of():
    """Small number of the running greenlet (or thread); -link when it is new and was spawned by a traced call."""
    if getcurrent is not None:
        current = getcurrent()
        task = tasks.get(current)
        if task is None:
            task = tasks[current] = next(next_task)
            return task, spawned.pop(current, -1)
        return task, -1
    ident = threading.get_ident()
    task = thread_tasks.get(ident)
    if task is None:
        task = thread_tasks[ident] = next(next_task)
    return task, -1


def note_spawn(value, seq):
    """Remembers that the call with record ``seq`` returned ``value``: a greenlet it spawned
    (alone or in a short tuple), whose first record will link back to that call."""
    if isinstance(value, greenlet_type):
        spawned[value] = seq
    elif isinstance(value, tuple) and len(value) <= 3:
        for item in value:
            if isinstance(item, greenlet_type):
                spawned[item] = seq
