"""What the Python authors wrote about the names a Flask trace's steps involve: the docstring,
signature and source place of each, the Python side's "From the library". Run by the
trace-socket CLI (``src/runtime/python/library-docs.ts``), never by the tracer::

    /usr/bin/python3 -X utf8 src/runtime/python/trace_socket_docs.py < request.json > docs.json

The request is ``{"names": ["flask_socketio.SocketIO.__init__", "socketio.Server.on", ...],
"packages": {module: distribution, ...}}``: the names, and the traced packages
with the distribution that installs each.
The answer has one entry per name: ``{"ok": true, ...}`` with the docstring, the signature,
the file (relative to the directory the package sits in, so it can be linked upstream), its
lines, and each ``:param name:`` paragraph of the docstring with its line; or ``{"ok": false,
"reason": ...}``. Read-only: it imports the packages and reads their source, nothing else,
and only for the packages trace-socket traces. Standard library only.
"""
import importlib
import importlib.util
import inspect
import json
import os
import re
import sys
from importlib import metadata

# Only these packages are imported: importing them runs no server and opens no socket. Each
# with the distribution that installs it, as the request gives them (the CLI's one list of the
# traced packages, PYTHON_DISTRIBUTIONS); main() fills it before anything is described.
PACKAGES = {}

# A reST field list entry: ``:param name:`` (also ``:param type name:``), then its text.
_PARAM = re.compile(r"^(\s*):param\s+(?:\S+\s+)?(\w+):\s?(.*)$")
_FIELD = re.compile(r"^\s*:\w")


def resolve(name):
    """The object a dotted name stands for and the namespace it was found in, or a reason why not."""
    parts = name.split(".")
    if parts[0] not in PACKAGES:
        return None, None, f"{parts[0]} is not one of the traced packages ({', '.join(PACKAGES)})"
    # The longest importable prefix is the module; the rest are attributes (classes, then a member).
    for cut in range(len(parts), 0, -1):
        module_name = ".".join(parts[:cut])
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as error:
            # The name itself is no module (`socketio.Server`): try a shorter prefix. A missing
            # dependency (`flask` while importing flask_socketio) is the reason to report.
            missing = error.name or ""
            if cut > 1 and (module_name == missing or module_name.startswith(missing + ".")):
                continue
            return None, None, f"cannot import {module_name}: {error}"
        except Exception as error:  # a failing import inside the package is worth saying as it is
            return None, None, f"importing {module_name} failed: {error.__class__.__name__}: {error}"
        target, owner = module, None
        for i in range(cut, len(parts)):
            try:
                # Static lookup: a property or other descriptor is described, never run.
                found = inspect.getattr_static(target, parts[i])
            except AttributeError:
                return None, None, f"{'.'.join(parts[:i])} has no attribute {parts[i]}"
            owner = target
            found = found.__func__ if isinstance(found, (staticmethod, classmethod)) else found
            target = found.fget if isinstance(found, property) else found
        return target, owner, None
    return None, None, f"cannot import {parts[0]}"


def package_of(obj):
    """The traced package an object's source belongs to, from its module name."""
    module = getattr(obj, "__module__", None) or ""
    top = module.split(".")[0]
    return top if top in PACKAGES else None


def relative_file(path):
    """``socketio/server.py``: the path from the directory the package sits in."""
    parts = os.path.abspath(path).split(os.sep)
    for i in range(len(parts) - 1, -1, -1):
        if parts[i] in PACKAGES:
            return "/".join(parts[i:])
    return None


def own_doc(obj):
    """The object's own docstring, cleaned; None when it has none (getdoc would borrow object's)."""
    doc = obj.__dict__.get("__doc__") if isinstance(obj, type) else getattr(obj, "__doc__", None)
    return inspect.cleandoc(doc) if isinstance(doc, str) and doc.strip() else None


def find_doc(obj, owner):
    """The docstring to quote and the object it belongs to.

    These authors document a constructor's parameters in the class docstring, so an
    ``__init__`` without its own falls back to its class's; a method without one borrows the
    docstring of the same method on a traced base class, saying so.
    """
    doc = own_doc(obj)
    if doc is not None:
        return doc, obj, "own"
    if isinstance(owner, type):
        if getattr(obj, "__name__", None) == "__init__":
            doc = own_doc(owner)
            if doc is not None:
                return doc, owner, "class"
        for base in owner.__mro__[1:]:
            member = base.__dict__.get(getattr(obj, "__name__", ""))
            member = getattr(member, "__func__", member)
            if member is not None and package_of(base) and own_doc(member) is not None:
                return own_doc(member), member, f"inherited:{base.__module__}.{base.__qualname__}"
    return None, None, None


def param_paragraphs(doc):
    """Each ``:param name:`` paragraph of a docstring: its text on one line, its first line."""
    out = []
    lines = doc.split("\n")
    i = 0
    while i < len(lines):
        match = _PARAM.match(lines[i])
        if not match:
            i += 1
            continue
        indent = len(match.group(1))
        text = [match.group(3).strip()]
        start = i
        i += 1
        # Continuation lines are indented past the field; a blank line or the next field ends it.
        while i < len(lines) and lines[i].strip() and not _FIELD.match(lines[i]) and len(lines[i]) - len(lines[i].lstrip()) > indent:
            text.append(lines[i].strip())
            i += 1
        out.append({"name": match.group(2), "text": " ".join(t for t in text if t), "docLine": start, "docEndLine": i - 1})
    return out


def place_params(params, file, doc_owner):
    """Adds each paragraph's line in the file, found by its ``:param name:`` in the owner's source.

    The docstring's first ``:param name:`` is the one: a class's source also holds its
    methods' docstrings, but the class docstring comes first. ``file`` is set on a paragraph
    only when the docstring lives in another file (one borrowed from a base class).
    """
    try:
        lines, first = inspect.getsourcelines(doc_owner)
        owner_file = relative_file(inspect.getsourcefile(doc_owner) or "")
    except (OSError, TypeError):
        return [{"name": p["name"], "text": p["text"]} for p in params]
    placed = []
    for p in params:
        entry = {"name": p["name"], "text": p["text"]}
        pattern = re.compile(r":param\s+(?:\S+\s+)?" + re.escape(p["name"]) + r":")
        for offset, line in enumerate(lines):
            if pattern.search(line):
                entry["line"] = first + offset
                entry["endLine"] = first + offset + p["docEndLine"] - p["docLine"]
                if owner_file and owner_file != file:
                    entry["file"] = owner_file
                break
        placed.append(entry)
    return placed


def signature_of(obj, owner):
    """The signature as the user calls it: a constructor as ``Class(...)``, a method without self."""
    try:
        if getattr(obj, "__name__", None) == "__init__" and isinstance(owner, type):
            sig = inspect.signature(owner)
            shown = owner.__name__
        else:
            sig = inspect.signature(obj)
            shown = getattr(obj, "__name__", "?")
            params = list(sig.parameters.values())
            if isinstance(owner, type) and params and params[0].name in ("self", "cls"):
                sig = sig.replace(parameters=params[1:])
    except (TypeError, ValueError):
        return None, {}
    defaults = {name: repr(p.default) for name, p in sig.parameters.items() if p.default is not inspect.Parameter.empty}
    return f"{shown}{sig}", defaults


def describe(name):
    """One entry of the answer."""
    obj, owner, reason = resolve(name)
    if reason:
        return {"ok": False, "reason": reason}
    pkg = package_of(obj) or name.split(".")[0]
    try:
        source_file = inspect.getsourcefile(obj)
        lines, line = inspect.getsourcelines(obj)
    except (OSError, TypeError) as error:
        return {"ok": False, "reason": f"no source for {name}: {error}"}
    file = relative_file(source_file or "")
    if file is None:
        return {"ok": False, "reason": f"{name} is defined outside the traced packages ({source_file})"}
    doc, doc_owner, doc_from = find_doc(obj, owner)
    signature, defaults = signature_of(obj, owner)
    entry = {
        "ok": True,
        "pkg": pkg,
        "qualname": getattr(obj, "__qualname__", name.rsplit(".", 1)[-1]),
        "kind": "class" if isinstance(obj, type) else "function",
        "signature": signature,
        "defaults": defaults,
        "file": file,
        "line": line,
        "endLine": line + len(lines) - 1,
        "doc": doc,
        "params": place_params(param_paragraphs(doc), file, doc_owner) if doc else [],
    }
    if doc_from:
        entry["docFrom"] = doc_from
    return entry


def versions():
    """The installed version of each traced package, and the directory it sits in."""
    out = {}
    for pkg, dist in PACKAGES.items():
        try:
            version = metadata.version(dist)
        except metadata.PackageNotFoundError:
            continue
        spec = importlib.util.find_spec(pkg)
        where = os.path.dirname(os.path.dirname(spec.origin)) if spec and spec.origin else None
        out[pkg] = {"version": version, "dir": where}
    return out


def main():
    request = json.load(sys.stdin)
    given = request.get("packages")
    if not isinstance(given, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in given.items()):
        sys.exit("the request names no traced packages (packages: {module: distribution})")
    PACKAGES.update(given)
    names = [n for n in request.get("names", []) if isinstance(n, str)]
    answer = {
        "schema": 1,
        "python": sys.version.split()[0],
        "packages": versions(),
        "names": {name: describe(name) for name in names},
    }
    json.dump(answer, sys.stdout)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
