/**
 * The Python side's "From the library": runs `trace_socket_docs.py` under the
 * same interpreter as the tracer to read the docstrings, signatures and source
 * places of the names the Flask steps involve, checks its JSON, and keeps it
 * on disk per installed versions so the second run starts no Python at all.
 * Never throws: no Python, no packages or a broken answer give empty docs
 * with the reason, which the report prints instead.
 */
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import debugFactory from "debug";
import { defaultCacheDir, readCachedJson, writeAtomic } from "../../source/disk-cache.js";
import { PACKAGE_ROOT } from "../../trace/scenario.js";
import { PYTHON_DISTRIBUTIONS, pythonPath } from "./python-env.js";
import { DOC_NAMES } from "./doc-catalogue.js";

const debug = debugFactory("trace-socket:flask-docs");

/** The helper script (committed source, run by the interpreter, not compiled). */
export const DOCS_HELPER = join(PACKAGE_ROOT, "src", "runtime", "python", "trace_socket_docs.py");

/** One `:param name:` paragraph of a docstring, its text on one line. */
export interface PyParamDoc {
  readonly name: string;
  readonly text: string;
  /** Lines of the paragraph in the file (of `file` when the docstring lives elsewhere). */
  readonly line?: number;
  readonly endLine?: number;
  readonly file?: string;
}

/** What the helper says of one qualified name (`socketio.Server.on`). */
export type PyNameDoc =
  | {
      readonly ok: true;
      readonly pkg: string;
      /** `Server.on`: matches a traced function's `name`. */
      readonly qualname: string;
      readonly kind: "class" | "function";
      /** As the user calls it: `on(event, handler=None, namespace=None)`, `SocketIO(app=None, **kwargs)`. */
      readonly signature: string | null;
      /** `repr` of each parameter default in the signature. */
      readonly defaults: Readonly<Record<string, string>>;
      /** Relative to the directory the package sits in: `socketio/server.py`. */
      readonly file: string;
      readonly line: number;
      readonly endLine: number;
      /** `inspect.cleandoc` of the docstring; null when there is none. */
      readonly doc: string | null;
      /** `own`, `class` (a constructor documented on its class) or `inherited:<module.Class>`. */
      readonly docFrom?: string;
      readonly params: readonly PyParamDoc[];
    }
  | { readonly ok: false; readonly reason: string };

/** An installed package: its version and the directory it sits in. */
export interface PyPackageInfo {
  readonly version: string;
  readonly dir: string | null;
}

/** The helper's answer, or empty with the reason there is none. */
export interface FlaskLibraryDocs {
  readonly python?: string;
  readonly packages: Readonly<Record<string, PyPackageInfo>>;
  readonly names: Readonly<Record<string, PyNameDoc>>;
  /** Why there are no docs (set only when `names` is empty). */
  readonly reason?: string;
}

/** Docs that are not there, saying why. */
export function noLibraryDocs(reason: string): FlaskLibraryDocs {
  return { packages: {}, names: {}, reason };
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const isString = (v: unknown): v is string => typeof v === "string";
const isLine = (v: unknown): v is number => Number.isInteger(v) && (v as number) > 0;
const optional = <T>(v: unknown, test: (x: unknown) => x is T): boolean => v === undefined || test(v);

function isParam(v: unknown): v is PyParamDoc {
  return isRecord(v) && isString(v.name) && isString(v.text) && optional(v.line, isLine) && optional(v.endLine, isLine) && optional(v.file, isString);
}

function isNameDoc(v: unknown): v is PyNameDoc {
  if (!isRecord(v)) return false;
  if (v.ok === false) return isString(v.reason);
  return (
    v.ok === true &&
    isString(v.pkg) &&
    isString(v.qualname) &&
    (v.kind === "class" || v.kind === "function") &&
    (v.signature === null || isString(v.signature)) &&
    isRecord(v.defaults) &&
    Object.values(v.defaults).every(isString) &&
    isString(v.file) &&
    isLine(v.line) &&
    isLine(v.endLine) &&
    (v.doc === null || isString(v.doc)) &&
    optional(v.docFrom, isString) &&
    Array.isArray(v.params) &&
    v.params.every(isParam)
  );
}

/** True when `value` has the shape of the helper's answer (and of a cache entry). */
export function isLibraryDocs(value: unknown): value is FlaskLibraryDocs {
  if (!isRecord(value) || !isRecord(value.packages) || !isRecord(value.names)) return false;
  const packagesOk = Object.values(value.packages).every((p) => isRecord(p) && isString(p.version) && (p.dir === null || isString(p.dir)));
  return packagesOk && Object.values(value.names).every(isNameDoc) && optional(value.python, isString) && optional(value.reason, isString);
}

/** Parses the helper's stdout; a broken answer becomes empty docs with the reason. */
export function parseLibraryDocs(stdout: string): FlaskLibraryDocs {
  let value: unknown;
  try {
    value = JSON.parse(stdout);
  } catch {
    return noLibraryDocs(`the docstring helper printed something that is not JSON: ${JSON.stringify(stdout.slice(0, 120))}`);
  }
  if (!isRecord(value) || value.schema !== 1) return noLibraryDocs("the docstring helper answered in an unknown schema");
  const docs = { python: value.python, packages: value.packages, names: value.names };
  return isLibraryDocs(docs) ? docs : noLibraryDocs("the docstring helper's answer has an unexpected shape");
}

/** Options of {@link loadFlaskLibraryDocs}. */
export interface LoadDocsOptions {
  /** The interpreter; default {@link pythonPath}. */
  readonly python?: string;
  /** Qualified names to describe; default every name of the catalogue. */
  readonly names?: readonly string[];
  /**
   * The installed versions (a Flask trace's `meta.packages`): the cache key.
   * Without them the helper runs and nothing is cached.
   */
  readonly versions?: Readonly<Record<string, string>>;
  /** Where to cache; default the trace-socket cache directory, `null` for none. */
  readonly cacheDir?: string | null;
  readonly helper?: string;
  readonly env?: NodeJS.ProcessEnv;
}

/** Runs the helper once, synchronously: it only imports the packages (about 0.3 s). */
function runHelper(python: string, helper: string, names: readonly string[], env: NodeJS.ProcessEnv): FlaskLibraryDocs {
  const result = spawnSync(python, ["-X", "utf8", helper], {
    // The traced packages go with the request: the helper keeps no list of its own.
    input: JSON.stringify({ names, packages: PYTHON_DISTRIBUTIONS }),
    encoding: "utf8",
    timeout: 20_000,
    maxBuffer: 16 * 1024 * 1024,
    // Read-only: no bytecode written next to anything.
    env: { ...env, PYTHONDONTWRITEBYTECODE: "1" },
  });
  if (result.error) return noLibraryDocs(`${python} could not be run (${(result.error as NodeJS.ErrnoException).code ?? result.error.message})`);
  if (result.status !== 0) return noLibraryDocs(`the docstring helper failed under ${python}: ${result.stderr.trim().split("\n").pop() ?? `exit ${result.status}`}`);
  return parseLibraryDocs(result.stdout);
}

function cacheFile(dir: string, python: string, helper: string, names: readonly string[], versions: Readonly<Record<string, string>>): string | undefined {
  let source: string;
  try {
    source = readFileSync(helper, "utf8");
  } catch {
    return undefined;
  }
  // A change of interpreter, version, helper, traced packages or asked names is another entry, never a stale one.
  const sorted = Object.fromEntries(Object.entries(versions).sort(([a], [b]) => a.localeCompare(b)));
  const key = createHash("sha256").update(JSON.stringify({ python, versions: sorted, names, packages: PYTHON_DISTRIBUTIONS, helper: source })).digest("hex").slice(0, 24);
  return join(dir, "flask-docs", `${key}.json`);
}

/** True when the helper's versions are the ones the cache key was made of. */
function sameVersions(docs: FlaskLibraryDocs, versions: Readonly<Record<string, string>>): boolean {
  return Object.entries(docs.packages).every(([pkg, info]) => versions[pkg] === undefined || versions[pkg] === info.version);
}

/**
 * The docs of `names` (default: every name of the catalogue) from the
 * installed packages: from the cache when the versions match, else from the
 * helper. Never throws.
 */
export async function loadFlaskLibraryDocs(options: LoadDocsOptions = {}): Promise<FlaskLibraryDocs> {
  try {
    const env = options.env ?? process.env;
    const python = options.python ?? pythonPath(env);
    const helper = options.helper ?? DOCS_HELPER;
    const names = options.names ?? DOC_NAMES;
    const dir = options.cacheDir === undefined ? defaultCacheDir(env) : options.cacheDir;
    const file = dir !== null && options.versions ? cacheFile(dir, python, helper, names, options.versions) : undefined;
    if (file) {
      const cached = await readCachedJson(file, isLibraryDocs);
      if (cached && !cached.reason) {
        debug("docstrings from %s", file);
        return cached;
      }
    }
    const docs = runHelper(python, helper, names, env);
    debug("docstring helper: %d names%s", Object.keys(docs.names).length, docs.reason ? ` (${docs.reason})` : "");
    if (file && !docs.reason && sameVersions(docs, options.versions!)) await writeAtomic(file, JSON.stringify(docs));
    return docs;
  } catch (error) {
    return noLibraryDocs(`the docstrings could not be read: ${error instanceof Error ? error.message : String(error)}`);
  }
}
