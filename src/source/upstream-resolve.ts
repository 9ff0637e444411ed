/**
 * Turns an installed function into a permalink at its release tag: find the
 * release's source (trying each known layout, confirmed by its package.json),
 * parse it once (cached as a function table beside the raw file), match by name.
 */
import { readCachedJson, writeAtomic } from "./disk-cache.js";
import { scanFunctions, type FileScan } from "./scan-functions.js";
import { createScratchProject, loadTsMorph } from "./ts-morph-loader.js";
import { INDEX_FORMAT, type FunctionIdentity, type UpstreamResult } from "./types.js";
import type { FetchOutcome, UpstreamFetcher } from "./upstream-fetch.js";
import {
  describeSource,
  permalinkUrl,
  sourcePathOf,
  upstreamSources,
  type UpstreamSource,
} from "./upstream-layout.js";
import { matchUpstream } from "./upstream-match.js";

/** What to resolve: an installed file of a package release and a function in it. */
export interface UpstreamQuery {
  readonly pkg: string;
  readonly version: string;
  /** Installed path inside the package: `build/server.js`. */
  readonly path: string;
  /** Compiled from TypeScript (a `.d.ts` sits beside it). */
  readonly compiled: boolean;
  readonly wanted: FunctionIdentity;
}

/** Resolves permalinks; parses each upstream file at most once. */
export interface UpstreamResolver {
  resolve(query: UpstreamQuery): Promise<UpstreamResult>;
}

function unavailable(reason: string): UpstreamResult {
  return { kind: "unavailable", reason };
}

function isFileScan(value: unknown): value is FileScan {
  const v = value as Record<string, unknown> | null;
  return typeof v === "object" && v !== null && Array.isArray(v["functions"]) && Array.isArray(v["classes"]);
}

function manifestName(text: string): string | undefined {
  try {
    const name: unknown = (JSON.parse(text) as Record<string, unknown>)["name"];
    return typeof name === "string" ? name : undefined;
  } catch {
    return undefined;
  }
}

/** Creates a resolver over a fetcher. */
export function createUpstreamResolver(fetcher: UpstreamFetcher): UpstreamResolver {
  const scans = new Map<string, Promise<FileScan>>();

  async function parse(text: string, path: string, file: string): Promise<FileScan> {
    const tableFile = `${file}.functions.v${INDEX_FORMAT}.json`;
    const cached = await readCachedJson(tableFile, isFileScan);
    if (cached) return cached;
    const tsm = await loadTsMorph();
    const source = createScratchProject(tsm).createSourceFile(`/upstream/${path}`, text);
    const { functions, classes } = scanFunctions(tsm, source);
    // Doc comments are read from the installed package; the table only needs positions.
    const scan: FileScan = { functions: functions.map(({ doc: _doc, ...rest }) => rest), classes };
    await writeAtomic(tableFile, JSON.stringify(scan));
    return scan;
  }

  function scanOf(outcome: Extract<FetchOutcome, { kind: "ok" }>, path: string): Promise<FileScan> {
    let pending = scans.get(outcome.file);
    if (!pending) {
      pending = parse(outcome.text, path, outcome.file);
      scans.set(outcome.file, pending);
    }
    return pending;
  }

  async function fromFile(
    source: UpstreamSource,
    path: string,
    outcome: Extract<FetchOutcome, { kind: "ok" }>,
    wanted: FunctionIdentity,
  ): Promise<UpstreamResult> {
    const scan = await scanOf(outcome, path);
    const match = matchUpstream(wanted, scan, `${path} of ${describeSource(source)}`);
    if (!match.found) return unavailable(match.reason);
    return {
      kind: "permalink",
      url: permalinkUrl(source, path, match.line, match.endLine),
      owner: source.owner,
      repo: source.repo,
      tag: source.tag,
      path,
      startLine: match.line,
      endLine: match.endLine,
      target: match.target,
      ...(match.reason !== undefined && { reason: match.reason }),
    };
  }

  async function resolve(query: UpstreamQuery): Promise<UpstreamResult> {
    if (query.wanted.generated) {
      return unavailable(`${query.wanted.name} is glue written by the TypeScript compiler; it has no upstream source`);
    }
    const sources = upstreamSources(query.pkg, query.version);
    if (sources.length === 0) {
      return unavailable(`no known upstream release for ${query.pkg}@${query.version}`);
    }
    const sourcePath = sourcePathOf(query.path, query.compiled);
    const tried: string[] = [];
    for (const source of sources) {
      const path = `${source.prefix}${sourcePath}`;
      const outcome = await fetcher.get(source, path);
      if (outcome.kind === "error") return unavailable(outcome.reason);
      if (outcome.kind === "ok") return fromFile(source, path, outcome, query.wanted);
      // A 404 means either no such tag/layout or no such file in the release: the manifest tells which.
      const manifest = await fetcher.get(source, `${source.prefix}package.json`);
      if (manifest.kind === "error") return unavailable(manifest.reason);
      if (manifest.kind === "ok" && manifestName(manifest.text) === query.pkg) {
        return unavailable(`${path} does not exist in ${describeSource(source)}`);
      }
      tried.push(`${describeSource(source)}${source.prefix === "" ? "" : ` (${source.prefix})`}`);
    }
    return unavailable(`tag for ${query.pkg}@${query.version} not found upstream (tried ${tried.join("; ")})`);
  }

  return { resolve };
}
