/**
 * Upstream permalinks for the Python side: a function of an installed
 * Flask-SocketIO / python-socketio / python-engineio / eventlet file, pinned
 * to the GitHub tag of the installed version, with `#Lstart-Lend`.
 *
 * Debian installs these packages from its own source packages, which may carry
 * patches, so a line of the installed file is not always the same line at the
 * tag. For the versions in {@link CHECKED}, every installed `.py` file was
 * compared with the tag (`git show v<version>:<path>` against
 * `/usr/lib/python3/dist-packages/...`); any other version is linked but marked
 * unverified. Pure: no network, no file system.
 */
import type { PythonPackage } from "../../trace/model.js";

/** Where a package's source lives upstream. */
interface Upstream {
  readonly repo: string;
  /** Directory of the package inside the repository at its tags. */
  readonly dir: string;
}

/** The upstream repository of each traced package, and the package's directory there (as at the checked tags). */
export const UPSTREAM: Readonly<Record<PythonPackage, Upstream>> = {
  flask_socketio: { repo: "miguelgrinberg/Flask-SocketIO", dir: "src/flask_socketio" },
  socketio: { repo: "miguelgrinberg/python-socketio", dir: "src/socketio" },
  engineio: { repo: "miguelgrinberg/python-engineio", dir: "src/engineio" },
  eventlet: { repo: "eventlet/eventlet", dir: "eventlet" },
};

/**
 * Versions whose installed files were compared with the upstream tag, and the
 * files (relative to the package) that Debian changed. A file listed with
 * `sameLines` keeps every line where it is (the patch edits lines in place).
 */
export const CHECKED: Readonly<Record<string, { readonly changed: Readonly<Record<string, { readonly sameLines: boolean }>> }>> = {
  "flask_socketio@5.3.2": { changed: {} },
  "socketio@5.7.2": { changed: {} },
  "engineio@4.3.4": { changed: {} },
  "eventlet@0.33.1": {
    changed: {
      "green/http/client.py": { sameLines: true },
      "greenio/py3.py": { sameLines: true },
      "support/greendns.py": { sameLines: false },
    },
  },
};

/** How far a permalink's lines can be trusted. */
export type LinkCheck =
  /** The installed file is the file at the tag. */
  | "verified"
  /** Debian patched the file in place: lines match, a few may read differently. */
  | "patched"
  /** Debian's patch moved lines: the link points at the function's file, lines may be off. */
  | "lines-differ"
  /** This version was never compared with its tag. */
  | "unverified";

/** An upstream permalink of a Python function. */
export interface PyPermalink {
  readonly url: string;
  readonly check: LinkCheck;
  /** One line to print beside the link when it is not `verified`. */
  readonly note?: string;
}

/**
 * Path of `file` inside the installed package `pkg` (`__init__.py`,
 * `async_drivers/eventlet.py`): what follows the last `/<pkg>/` directory.
 */
export function packagePath(file: string, pkg: string): string | undefined {
  const marker = `/${pkg}/`;
  const at = file.lastIndexOf(marker);
  return at >= 0 ? file.slice(at + marker.length) : undefined;
}

function isPythonPackage(pkg: string): pkg is PythonPackage {
  return Object.hasOwn(UPSTREAM, pkg);
}

/**
 * The permalink of a Python function at the tag of its installed version, or
 * undefined for the app's own code, a Node function, or an unknown version.
 *
 * @example
 * pythonPermalink({ pkg: "flask_socketio", version: "5.3.2", file: "/usr/lib/python3/dist-packages/flask_socketio/__init__.py", line: 279, endLine: 289 })
 * // { url: "https://github.com/miguelgrinberg/Flask-SocketIO/blob/v5.3.2/src/flask_socketio/__init__.py#L279-L289", check: "verified" }
 */
export function pythonPermalink(fn: { readonly pkg: string; readonly version?: string; readonly file: string; readonly line: number; readonly endLine: number }): PyPermalink | undefined {
  if (!isPythonPackage(fn.pkg) || !fn.version) return undefined;
  const upstream = UPSTREAM[fn.pkg];
  const path = packagePath(fn.file, fn.pkg);
  if (path === undefined) return undefined;
  const lines = fn.endLine > fn.line ? `#L${fn.line}-L${fn.endLine}` : `#L${fn.line}`;
  const url = `https://github.com/${upstream.repo}/blob/v${fn.version}/${upstream.dir}/${path}${lines}`;
  const checked = CHECKED[`${fn.pkg}@${fn.version}`];
  if (!checked) return { url, check: "unverified", note: `not compared with the v${fn.version} tag: the installed file may be patched, lines may differ` };
  const change = checked.changed[path];
  if (!change) return { url, check: "verified" };
  if (change.sameLines) return { url, check: "patched", note: "Debian patches this file in place: same lines, a few may read differently" };
  return { url, check: "lines-differ", note: "Debian's patch moves lines in this file: the upstream lines may be off" };
}
