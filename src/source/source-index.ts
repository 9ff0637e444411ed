/**
 * The source index the CLI, stepper and exporter use: for a trace node, the
 * code that ran, its doc comment, a local link and an upstream permalink; for
 * a step, the doc comments of the options and methods it involves. Nothing
 * here throws for a missing file, package or member: the view says why.
 */
import debugFactory from "debug";
import { mkdir, readFile } from "node:fs/promises";
import { isAbsolute, join, relative, resolve } from "node:path";
import type { FunctionInfo } from "../trace/model.js";
import { defaultCacheDir } from "./disk-cache.js";
import { localLink, makeExcerpt, splitLines } from "./excerpt.js";
import { licences } from "./licences.js";
import { methodDocs } from "./method-docs.js";
import { optionDocs } from "./option-docs.js";
import { createPackageIndexStore, type LoadedPackage } from "./package-index.js";
import { packageOfFile, resolveFamilyDir, type PackageFile } from "./package-locate.js";
import { tsMorphLoaded } from "./ts-morph-loader.js";
import type {
  DocComment,
  FunctionIdentity,
  IndexedFunction,
  MethodDoc,
  OptionDoc,
  PackageLicence,
  SourceView,
  UpstreamResult,
} from "./types.js";
import { createUpstreamFetcher } from "./upstream-fetch.js";
import { createUpstreamResolver } from "./upstream-resolve.js";

const debug = debugFactory("trace-socket:source");

/** The default raw-file base; `TRACE_SOCKET_UPSTREAM` overrides it. */
export const DEFAULT_UPSTREAM = "https://raw.githubusercontent.com";

/** How to open the index. Every field has a default. */
export interface SourceIndexOptions {
  /** Never use the network (`--offline`); upstream files already cached are still used. */
  readonly offline?: boolean;
  /** Default: {@link defaultCacheDir} (`TRACE_SOCKET_CACHE`, else the project's `node_modules/.cache/trace-socket`). */
  readonly cacheDir?: string;
  /**
   * Where the packages that docs are looked up in (socket.io, engine.io…) are
   * resolved from, as Node resolves them for a module there: the scenario's
   * folder, which may run a copy nested under trace-socket. Default: the project root.
   */
  readonly resolveFrom?: string;
  /** Default: `TRACE_SOCKET_UPSTREAM`, else `https://raw.githubusercontent.com`. */
  readonly upstreamBase?: string;
  /** Per upstream request; one attempt. Default 3000. */
  readonly timeoutMs?: number;
  /** Longest excerpt, in lines. Default 40. */
  readonly maxExcerptLines?: number;
  /** Where `TRACE_SOCKET_*` are read from. Default `process.env`. */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

/** What the index did so far: for the cost table and for tests. */
export interface SourceIndexStats {
  readonly indexBuilds: number;
  readonly indexCacheHits: number;
  readonly upstreamRequests: number;
  /** Whether this process loaded ts-morph (never on a fully cached run). */
  readonly tsMorphLoaded: boolean;
}

/** The opened index. */
export interface SourceIndex {
  readonly projectRoot: string;
  readonly cacheDir: string;
  /** Everything to show for one trace node. */
  describe(fn: FunctionInfo): Promise<SourceView>;
  /** The indexed functions of an installed file (path relative to the project root); empty when unknown. */
  functionsIn(file: string): Promise<readonly IndexedFunction[]>;
  /** Doc comments of server options (`pingInterval`, `cors.origin`), with the values in force when given. */
  optionDocs(names: readonly string[], inForce?: Readonly<Record<string, unknown>>): Promise<OptionDoc[]>;
  /** Doc comments of methods (`Server.use`, `Namespace.on`, `engine.io:Server.attach`). */
  methodDocs(names: readonly string[]): Promise<MethodDoc[]>;
  /** Licence of each installed package version of the family. */
  licences(): Promise<PackageLicence[]>;
  stats(): SourceIndexStats;
}

/**
 * The entry that starts where the trace says the function starts. Several
 * functions can start on one line (`a.then((x) => x.map((y) => y))`): the end
 * line and then the column decide.
 */
export function findIndexed(functions: readonly IndexedFunction[], fn: FunctionInfo): IndexedFunction | undefined {
  const onLine = functions.filter((f) => f.line === fn.line);
  if (onLine.length <= 1) return onLine[0];
  const sameEnd = onLine.filter((f) => f.endLine === fn.endLine);
  const pool = sameEnd.length > 0 ? sameEnd : onLine;
  return (
    pool.find((f) => f.column === fn.column) ??
    [...pool].reverse().find((f) => f.column <= fn.column) ??
    pool[0]
  );
}

function identityOf(fn: FunctionInfo): FunctionIdentity {
  return {
    name: fn.name,
    kind: fn.kind,
    ...(fn.className !== undefined && { className: fn.className }),
    ...(fn.member !== undefined && { member: fn.member }),
    ...(fn.enclosing !== undefined && { enclosing: fn.enclosing }),
    ...(fn.generated !== undefined && { generated: fn.generated }),
  };
}

/** The `.d.ts` doc of a class member, for methods whose compiled body lost its comment. */
function declarationDoc(pkg: LoadedPackage, entry: IndexedFunction): DocComment | undefined {
  if (entry.className === undefined || entry.member === undefined) return undefined;
  const type = pkg.index.types.find((t) => t.kind === "class" && t.name === entry.className);
  return type?.members.find((m) => m.name === entry.member)?.doc;
}

/** Opens the index of the project's installed family. Cheap: packages are loaded on first use. */
export async function openSourceIndex(projectRoot: string, options: SourceIndexOptions = {}): Promise<SourceIndex> {
  const root = resolve(projectRoot);
  const env = options.env ?? process.env;
  const cacheDir = options.cacheDir ?? defaultCacheDir(env);
  const resolveFrom = resolve(root, options.resolveFrom ?? ".");
  await mkdir(cacheDir, { recursive: true }).catch(() => undefined);
  const base = options.upstreamBase ?? (env["TRACE_SOCKET_UPSTREAM"]?.trim() || DEFAULT_UPSTREAM);
  const maxLines = options.maxExcerptLines ?? 40;
  const store = createPackageIndexStore(root, cacheDir);
  const fetcher = createUpstreamFetcher({
    base,
    cacheDir,
    timeoutMs: options.timeoutMs ?? 3000,
    offline: options.offline ?? false,
  });
  const resolver = createUpstreamResolver(fetcher);
  const fileLines = new Map<string, Promise<readonly string[] | undefined>>();
  debug("cache %s, upstream %s%s", cacheDir, base, options.offline ? " (offline)" : "");

  function linesOf(file: string): Promise<readonly string[] | undefined> {
    let pending = fileLines.get(file);
    if (!pending) {
      pending = readFile(join(root, file), "utf8").then(splitLines, () => undefined);
      fileLines.set(file, pending);
    }
    return pending;
  }

  // Resolved once per name: docs lookups ask for the same few packages again and again.
  const resolvedDirs = new Map<string, string | undefined>();
  async function packageByName(name: string): Promise<LoadedPackage | undefined> {
    if (!resolvedDirs.has(name)) resolvedDirs.set(name, resolveFamilyDir(name, resolveFrom));
    const dir = resolvedDirs.get(name);
    if (dir === undefined) return undefined;
    const loaded = await store.get(projectPath(dir));
    return "index" in loaded ? loaded : undefined;
  }

  /** Trace files are project-relative; an absolute one (a hand-made trace) is made so. */
  function projectPath(file: string): string {
    return (isAbsolute(file) ? relative(root, file) : file).replace(/\\/g, "/");
  }

  /**
   * The package a trace file is in, found on its absolute path: a file outside
   * the root (`../../node_modules/socket.io/…` in a workspace) is located as
   * well as one inside, and the package folder is given relative to the root.
   */
  function locate(file: string): PackageFile | undefined {
    const located = packageOfFile(resolve(root, file));
    return located && { ...located, dir: projectPath(located.dir) };
  }

  async function describe(traced: FunctionInfo): Promise<SourceView> {
    const fn = traced.file === projectPath(traced.file) ? traced : { ...traced, file: projectPath(traced.file) };
    const notes: string[] = [];
    const local = localLink(fn.file, fn.line, fn.endLine);
    const lines = await linesOf(fn.file);
    if (!lines) notes.push(`cannot read ${fn.file}`);
    const excerpt = lines ? makeExcerpt(lines, fn.line, fn.endLine, maxLines) : undefined;
    const view = (upstream: UpstreamResult, indexed?: IndexedFunction, doc?: DocComment): SourceView => ({
      fn,
      ...(indexed && { indexed }),
      local,
      ...(excerpt && { excerpt }),
      ...(doc && { doc }),
      upstream,
      notes,
    });
    if (fn.pkg === "app") return view({ kind: "unavailable", reason: "the traced app's own code has no upstream release" });
    const located = locate(fn.file);
    if (!located) return view({ kind: "unavailable", reason: `${fn.file} is not inside an installed package` });

    const loaded = await store.get(located.dir);
    let indexed: IndexedFunction | undefined;
    let compiled = /^(?:dist|build)\//.test(located.path);
    let version = fn.version;
    if ("reason" in loaded) {
      notes.push(loaded.reason);
    } else {
      version ??= loaded.index.version;
      const file = Object.hasOwn(loaded.index.files, located.path) ? loaded.index.files[located.path] : undefined;
      compiled = file?.compiled ?? compiled;
      if (version !== loaded.index.version) {
        notes.push(`the trace ran ${located.name}@${version} but ${loaded.index.version} is installed in ${located.dir}`);
      } else if (!file) {
        notes.push(`${located.path} is not among the indexed files of ${located.name}`);
      } else {
        indexed = findIndexed(file.functions, fn);
        if (!indexed) notes.push(`no function starts at ${fn.file}:${fn.line} in the index`);
      }
    }
    const doc = indexed?.doc ?? (indexed && !("reason" in loaded) ? declarationDoc(loaded, indexed) : undefined);
    if (version === undefined) {
      return view({ kind: "unavailable", reason: `the installed version of ${located.name} is unknown` }, indexed, doc);
    }
    const upstream = await resolver.resolve({
      pkg: located.name,
      version,
      path: located.path,
      compiled,
      wanted: indexed ?? identityOf(fn),
    });
    return view(upstream, indexed, doc);
  }

  async function functionsIn(file: string): Promise<readonly IndexedFunction[]> {
    const located = locate(projectPath(file));
    if (!located) return [];
    const loaded = await store.get(located.dir);
    if ("reason" in loaded || !Object.hasOwn(loaded.index.files, located.path)) return [];
    return loaded.index.files[located.path]!.functions;
  }

  // The promise of the API: a reason in the result, never an exception in the caller.
  const failed = (error: unknown): string => `internal error in the source index: ${(error as Error).message}`;

  return {
    projectRoot: root,
    cacheDir,
    describe: (fn) =>
      describe(fn).catch((error: unknown) => ({
        fn,
        local: localLink(fn.file, fn.line, fn.endLine),
        upstream: { kind: "unavailable", reason: failed(error) },
        notes: [failed(error)],
      })),
    functionsIn: (file) => functionsIn(file).catch(() => []),
    optionDocs: (names, inForce) =>
      optionDocs(packageByName, names, inForce).catch((error: unknown) =>
        names.map((name) => ({ name, shadows: [], reason: failed(error) })),
      ),
    methodDocs: (names) =>
      methodDocs(packageByName, names).catch((error: unknown) => names.map((name) => ({ name, reason: failed(error) }))),
    licences: () => licences(root).catch(() => []),
    stats: () => {
      const { builds, cacheHits } = store.stats();
      return {
        indexBuilds: builds,
        indexCacheHits: cacheHits,
        upstreamRequests: fetcher.stats().requests,
        tsMorphLoaded: tsMorphLoaded(),
      };
    },
  };
}
