/**
 * Raw upstream files, fetched on demand and kept on disk by
 * host/owner/repo/tag/path. One attempt per file, a short timeout, and after
 * the first network failure no more attempts in this run: an offline machine
 * costs one timeout, not one per trace node.
 */
import debugFactory from "debug";
import { join } from "node:path";
import { readCachedText, writeAtomic } from "./disk-cache.js";
import { rawFileUrl, type UpstreamSource } from "./upstream-layout.js";

const debug = debugFactory("trace-socket:source:upstream");

/** Larger than any source file of the family; a bigger answer is not what we asked for. */
const MAX_BYTES = 4 * 1024 * 1024;

/**
 * How long a 404 is remembered on disk. A file at a tag never appears later,
 * but a tag can be pushed after a release is published: forget after a day.
 */
const MISSING_TTL_MS = 24 * 60 * 60 * 1000;

/** A fetched (or cached) file, a clean 404, or why neither could be had. */
export type FetchOutcome =
  | { readonly kind: "ok"; readonly text: string; readonly file: string }
  | { readonly kind: "missing" }
  | { readonly kind: "error"; readonly reason: string };

/** How the fetcher reaches upstream. */
export interface UpstreamFetcherOptions {
  /** Raw-file base, e.g. `https://raw.githubusercontent.com`. */
  readonly base: string;
  readonly cacheDir: string;
  readonly timeoutMs: number;
  /** Serve from the disk cache only. */
  readonly offline: boolean;
}

/** Counters for tests and the cost table. */
export interface FetcherStats {
  readonly requests: number;
}

/** Fetches upstream files through the disk cache. */
export interface UpstreamFetcher {
  get(source: UpstreamSource, path: string): Promise<FetchOutcome>;
  stats(): FetcherStats;
}

/** `https://raw.githubusercontent.com` → `raw.githubusercontent.com`; a fixture server keeps its port. */
function hostKey(base: string): string {
  try {
    const url = new URL(base);
    return `${url.host}${url.pathname}`.replace(/\/+$/, "").replace(/[^A-Za-z0-9._-]/g, "_");
  } catch {
    return "invalid-base";
  }
}

/** The disk location of a cached upstream file. */
export function upstreamCacheFile(cacheDir: string, base: string, source: UpstreamSource, path: string): string {
  const segments = path.split("/").filter((s) => s !== "" && s !== "." && s !== "..");
  return join(cacheDir, "upstream", hostKey(base), source.owner, source.repo, encodeURIComponent(source.tag), ...segments);
}

/** `upstream unreachable (ECONNREFUSED)`: the cause's code when there is one. */
export function networkReason(error: unknown, timeoutMs: number): string {
  const e = error as { name?: string; code?: string; message?: string; cause?: { code?: string; message?: string } };
  if (e.name === "TimeoutError" || e.name === "AbortError") return `upstream unreachable (no answer within ${timeoutMs} ms)`;
  const detail = e.cause?.code ?? e.code ?? e.cause?.message ?? e.message ?? "unknown error";
  return `upstream unreachable (${detail})`;
}

/** Creates a fetcher; nothing is fetched until asked. */
export function createUpstreamFetcher(options: UpstreamFetcherOptions): UpstreamFetcher {
  const inFlight = new Map<string, Promise<FetchOutcome>>();
  let down: string | undefined;
  let requests = 0;
  // The first request goes alone: if upstream is unreachable, it is the only one that waits.
  let first: Promise<unknown> | undefined;

  async function download(url: string, file: string): Promise<FetchOutcome> {
    if (first === undefined) {
      first = attempt(url, file);
      return first as Promise<FetchOutcome>;
    }
    await first;
    return attempt(url, file);
  }

  async function attempt(url: string, file: string): Promise<FetchOutcome> {
    if (down !== undefined) return { kind: "error", reason: down };
    requests++;
    debug("GET %s", url);
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(options.timeoutMs), redirect: "follow" });
      if (response.status === 404) {
        await response.body?.cancel();
        await writeAtomic(`${file}.missing`, new Date().toISOString());
        return { kind: "missing" };
      }
      if (response.status !== 200) {
        await response.body?.cancel();
        down = `upstream answered HTTP ${response.status}`;
        return { kind: "error", reason: down };
      }
      const declared = Number(response.headers.get("content-length") ?? "0");
      if (declared > MAX_BYTES) {
        await response.body?.cancel();
        return { kind: "error", reason: `upstream file larger than ${MAX_BYTES} bytes` };
      }
      const text = await response.text();
      await writeAtomic(file, text);
      return { kind: "ok", text, file };
    } catch (error) {
      down = networkReason(error, options.timeoutMs);
      debug("%s: %s", url, down);
      return { kind: "error", reason: down };
    }
  }

  async function get(source: UpstreamSource, path: string): Promise<FetchOutcome> {
    const file = upstreamCacheFile(options.cacheDir, options.base, source, path);
    const cached = await readCachedText(file);
    if (cached !== undefined) return { kind: "ok", text: cached, file };
    const missingSince = Date.parse((await readCachedText(`${file}.missing`)) ?? "");
    if (Date.now() - missingSince < MISSING_TTL_MS) return { kind: "missing" };
    if (options.offline) return { kind: "error", reason: "offline (--offline): the upstream file is not in the cache" };
    let url: string;
    try {
      url = rawFileUrl(new URL(options.base).href, source, path);
    } catch {
      return { kind: "error", reason: `invalid upstream base URL ${JSON.stringify(options.base)}` };
    }
    return download(url, file);
  }

  return {
    get(source, path) {
      const key = `${source.owner}/${source.repo}/${source.tag}/${path}`;
      let pending = inFlight.get(key);
      if (!pending) {
        pending = get(source, path);
        inFlight.set(key, pending);
      }
      return pending;
    },
    stats: () => ({ requests }),
  };
}
