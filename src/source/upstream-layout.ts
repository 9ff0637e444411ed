/**
 * Where a package's source lives upstream, per release: repository, tag form and
 * folder. Pure; verified against the repositories' tags:
 *
 * - socketio/socket.io tags every package release as `<pkg>@<version>`. Since the
 *   monorepo (socket.io 4.8.0, engine.io 6.6.1, socket.io-adapter 2.5.6,
 *   socket.io-parser 4.2.5, engine.io-parser 5.2.3) the source is under
 *   `packages/<pkg>/lib/`; older `<pkg>@<version>` tags point at imported history
 *   with `lib/` at the root. Releases before the import live in the package's own
 *   repository, tagged `<version>`.
 * - websockets/ws is tagged `<version>` (`8.18.0`); expressjs/cors `v<version>` (`v2.8.5`).
 *
 * Candidates are tried in order; each is confirmed by the package.json it holds.
 */

/** One place a release's source may be: `<owner>/<repo>` at `tag`, under `prefix`. */
export interface UpstreamSource {
  readonly owner: string;
  readonly repo: string;
  readonly tag: string;
  /** Folder of the package inside the repository at that tag (`packages/engine.io/` or ``). */
  readonly prefix: string;
}

const MONOREPO = { owner: "socketio", repo: "socket.io" } as const;

/** Packages released from the socket.io monorepo, with their pre-monorepo repository. */
const MONOREPO_PACKAGES: Readonly<Record<string, string>> = {
  "socket.io": "socket.io",
  "engine.io": "engine.io",
  "socket.io-parser": "socket.io-parser",
  "socket.io-adapter": "socket.io-adapter",
  "engine.io-parser": "engine.io-parser",
};

/** Packages that ship their source as-is, with their repository and tag prefix. */
const SOURCE_PACKAGES: Readonly<Record<string, { owner: string; repo: string; tagPrefix: string }>> = {
  ws: { owner: "websockets", repo: "ws", tagPrefix: "" },
  cors: { owner: "expressjs", repo: "cors", tagPrefix: "v" },
  "@socket.io/redis-adapter": { owner: "socketio", repo: "socket.io-redis-adapter", tagPrefix: "" },
  "@socket.io/sticky": { owner: "socketio", repo: "socket.io-sticky", tagPrefix: "" },
  // Compiled from lib/*.ts into dist/ (the .d.ts beside each file says so); tagged `0.5.1`.
  "@socket.io/admin-ui": { owner: "socketio", repo: "socket.io-admin-ui", tagPrefix: "" },
  // Shipped as written (index.js at the root); tagged `3.0.2`.
  "socket.io-msgpack-parser": { owner: "socketio", repo: "socket.io-msgpack-parser", tagPrefix: "" },
  // Each in its own repository, compiled from lib/*.ts into dist/, tagged with the bare version (`0.3.1`).
  "@socket.io/redis-streams-adapter": { owner: "socketio", repo: "socket.io-redis-streams-adapter", tagPrefix: "" },
  "@socket.io/postgres-adapter": { owner: "socketio", repo: "socket.io-postgres-adapter", tagPrefix: "" },
  "@socket.io/mongo-adapter": { owner: "socketio", repo: "socket.io-mongo-adapter", tagPrefix: "" },
};

/** Scoped packages released from the monorepo (`packages/<folder>/`, tagged `<pkg>@<version>`). */
const MONOREPO_SCOPED: Readonly<Record<string, string>> = {
  "@socket.io/cluster-adapter": "socket.io-cluster-adapter",
};

/** Release versions only: a tag is never guessed for a range, a branch or a local build. */
const RELEASE = /^\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?$/;

/** The places to look for a release's source, most likely first; empty when unknown. */
export function upstreamSources(pkg: string, version: string): readonly UpstreamSource[] {
  if (!RELEASE.test(version)) return [];
  const legacyRepo = MONOREPO_PACKAGES[pkg];
  if (legacyRepo !== undefined) {
    const tag = `${pkg}@${version}`;
    return [
      { ...MONOREPO, tag, prefix: `packages/${pkg}/` },
      { ...MONOREPO, tag, prefix: "" },
      { owner: "socketio", repo: legacyRepo, tag: version, prefix: "" },
    ];
  }
  const folder = MONOREPO_SCOPED[pkg];
  if (folder !== undefined) return [{ ...MONOREPO, tag: `${pkg}@${version}`, prefix: `packages/${folder}/` }];
  const source = SOURCE_PACKAGES[pkg];
  if (source !== undefined) {
    return [{ owner: source.owner, repo: source.repo, tag: `${source.tagPrefix}${version}`, prefix: "" }];
  }
  return [];
}

/** Output folders of the compiled packages, longest first. */
const OUTPUT_DIRS = ["build/esm-debug/", "build/esm/", "build/cjs/", "build/", "dist/"];

/**
 * The TypeScript source a compiled file came from: `build/server.js` →
 * `lib/server.ts`, `build/cjs/index.js` → `lib/index.ts`. Files shipped as-is
 * keep their path.
 */
export function sourcePathOf(installedPath: string, compiled: boolean): string {
  if (!compiled) return installedPath;
  const outDir = OUTPUT_DIRS.find((dir) => installedPath.startsWith(dir));
  const inLib = outDir ? `lib/${installedPath.slice(outDir.length)}` : installedPath;
  return inLib.replace(/\.[cm]?js$/, ".ts");
}

/** Percent-encodes each path segment, keeping the `/` between them. */
function encodePath(path: string): string {
  return path.split("/").map(encodeURIComponent).join("/");
}

/** The raw file URL: `<base>/<owner>/<repo>/<tag>/<path>`, tag encoded (`socket.io%404.8.1`). */
export function rawFileUrl(base: string, source: UpstreamSource, path: string): string {
  const trimmed = base.replace(/\/+$/, "");
  return `${trimmed}/${source.owner}/${source.repo}/${encodeURIComponent(source.tag)}/${encodePath(path)}`;
}

/** The GitHub permalink: `https://github.com/<owner>/<repo>/blob/<tag>/<path>#L<start>-L<end>`. */
export function permalinkUrl(source: UpstreamSource, path: string, start: number, end: number): string {
  const blob = `https://github.com/${source.owner}/${source.repo}/blob/${encodeURIComponent(source.tag)}`;
  return `${blob}/${encodePath(path)}#L${start}-L${end}`;
}

/** `socketio/socket.io at tag engine.io@6.6.4`, for reasons shown to users. */
export function describeSource(source: UpstreamSource): string {
  return `${source.owner}/${source.repo} at tag ${source.tag}`;
}
