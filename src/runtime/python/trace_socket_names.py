"""Names of traced Python functions, the way trace-socket's model wants them: the qualified
name (``co_qualname``, or derived before Python 3.11), the class, the enclosing function, the kind.
Part of trace-socket's tracer (``tracer.py``); pure functions of code objects.
"""
import linecache


def derive_qualname(code, frame):
    """Before Python 3.11 code objects have no co_qualname: find the class that owns a method."""
    if frame is None or code.co_argcount == 0:
        return code.co_name
    first = frame.f_locals.get(code.co_varnames[0])
    owner = first if isinstance(first, type) else type(first)
    for klass in getattr(owner, "__mro__", ()):
        member = klass.__dict__.get(code.co_name)
        member = getattr(member, "__func__", member)
        if getattr(member, "__code__", None) is code:
            return f"{klass.__qualname__}.{code.co_name}"
    return code.co_name


def describe(code, fid, file, pkg, frame=None):
    """The FunctionInfo of a code object: its qualified name split the way the trace model wants."""
    qualname = getattr(code, "co_qualname", None) or derive_qualname(code, frame)
    parts = qualname.split(".")
    # Components followed by <locals> are functions; the others (before the last) are classes.
    enclosing = None
    class_name = None
    if "<locals>" in parts:
        cut = len(parts) - 1 - parts[::-1].index("<locals>")
        enclosing = ".".join(parts[:cut]) or None
        rest = parts[cut + 1 :]
    else:
        rest = parts
    if len(rest) > 1:
        class_name = rest[-2]
    member = code.co_name
    if member == "<lambda>" or enclosing:
        kind = "closure"
    elif class_name and member == "__init__":
        kind = "constructor"
    elif class_name:
        kind = "method"
    else:
        kind = "function"
    try:
        end = max((line for _, _, line in code.co_lines() if line is not None), default=code.co_firstlineno)
    except AttributeError:
        end = code.co_firstlineno
    text = linecache.getline(file, code.co_firstlineno)
    info = {
        "id": fid,
        "name": qualname,
        "file": file,
        "line": code.co_firstlineno,
        "column": len(text) - len(text.lstrip()) + 1 if text else 1,
        "endLine": max(end, code.co_firstlineno),
        "pkg": pkg,
        "kind": kind,
        "member": member,
    }
    if class_name:
        info["className"] = class_name
    if enclosing:
        info["enclosing"] = enclosing
    return info
