/**
 * Finds the Python side: `/usr/bin/python3` (or `TRACE_SOCKET_PYTHON`) with
 * Debian's Flask-SocketIO and eventlet, and says how to install them when
 * they are missing.
 */
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { PACKAGE_ROOT } from "../../trace/scenario.js";
import type { PythonPackage } from "../../trace/model.js";

/** The interpreter Debian's `python3-flask-socketio` installs for. */
export const DEFAULT_PYTHON = "/usr/bin/python3";

/** What to run when the packages are missing. */
export const INSTALL_HINT = "sudo apt-get install python3-flask-socketio python3-eventlet";

/** The tracer script run by the interpreter (committed source, not compiled). */
export const TRACER = join(PACKAGE_ROOT, "src", "runtime", "python", "tracer.py");

/** The interpreter to use: `TRACE_SOCKET_PYTHON` when set, else Debian's. */
export function pythonPath(env: NodeJS.ProcessEnv = process.env): string {
  return env.TRACE_SOCKET_PYTHON || DEFAULT_PYTHON;
}

/** Result of {@link probePython}. */
export type PythonProbe =
  | { readonly ok: true; readonly python: string; readonly version: string; readonly packages: Readonly<Record<string, string>> }
  | { readonly ok: false; readonly python: string; readonly reason: string };

/**
 * The distribution that installs each traced package (its version is read by
 * that name): keyed by the trace model's `PYTHON_FAMILY`, so a package added
 * there needs its entry here, and the Python side is handed this map (the
 * tracer in its configuration, the docstring helper in its request) rather
 * than keeping lists of its own.
 */
export const PYTHON_DISTRIBUTIONS: Readonly<Record<PythonPackage, string>> = {
  flask_socketio: "Flask-SocketIO",
  socketio: "python-socketio",
  engineio: "python-engineio",
  eventlet: "eventlet",
};

/** What the probe imports and reads the version of: the traced packages, and Flask, which the chat needs but no trace shows. */
const PROBED: Readonly<Record<string, string>> = { flask: "Flask", ...PYTHON_DISTRIBUTIONS };

const PROBE = `
import json, sys
from importlib import metadata
probed = json.loads(${JSON.stringify(JSON.stringify(PROBED))})
missing = []
for module in probed:
    try:
        __import__(module)
    except Exception as error:
        missing.append(f"{module} ({error.__class__.__name__}: {error})")
versions = {}
for name, dist in probed.items():
    try:
        versions[name] = metadata.version(dist)
    except Exception:
        pass
print(json.dumps({"python": sys.version.split()[0], "missing": missing, "versions": versions}))
`;

/**
 * A hung interpreter must not hang the CLI, but a loaded machine may take tens
 * of seconds to import Flask and eventlet: a slow import is not a missing one.
 */
const PROBE_LIMIT_MS = 120_000;

/**
 * Checks that `python` runs and imports Flask-SocketIO, python-socketio,
 * python-engineio and eventlet. Synchronous (about 0.3 s) so tests can decide
 * at load time whether the Flask side can run.
 */
export function probePython(python: string = pythonPath()): PythonProbe {
  const result = spawnSync(python, ["-c", PROBE], { encoding: "utf8", timeout: PROBE_LIMIT_MS });
  const code = (result.error as NodeJS.ErrnoException | undefined)?.code;
  if (code === "ETIMEDOUT") return { ok: false, python, reason: `${python} did not finish importing them in ${PROBE_LIMIT_MS / 1000} s` };
  if (result.error) return { ok: false, python, reason: `${python} could not be run (${code ?? result.error.message})` };
  if (result.status !== 0) return { ok: false, python, reason: `${python} failed: ${result.stderr.trim().split("\n").pop() ?? `exit ${result.status}`}` };
  try {
    const parsed = JSON.parse(result.stdout) as { python: string; missing: string[]; versions: Record<string, string> };
    if (parsed.missing.length) return { ok: false, python, reason: `${python} cannot import ${parsed.missing.join(", ")}` };
    return { ok: true, python, version: parsed.python, packages: parsed.versions };
  } catch {
    return { ok: false, python, reason: `${python} printed something unexpected: ${result.stdout.slice(0, 200)}` };
  }
}

/** The message for a probe that failed: what is wrong and the install command. */
export function missingPythonMessage(probe: Extract<PythonProbe, { ok: false }>): string {
  return `the Flask-SocketIO side needs Debian's Python packages: ${probe.reason}.\nInstall them with: ${INSTALL_HINT}`;
}
