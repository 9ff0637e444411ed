/**
 * Public surface of the source index (see README.md beside this file).
 */
export { openSourceIndex, findIndexed, DEFAULT_UPSTREAM } from "./source-index.js";
export type { SourceIndex, SourceIndexOptions, SourceIndexStats } from "./source-index.js";
export { licences } from "./licences.js";
export { licenceSummary } from "./licence-texts.js";
export { defaultCacheDir } from "./disk-cache.js";
export { tsMorphLoaded } from "./ts-morph-loader.js";
export { upstreamSources, permalinkUrl, rawFileUrl, sourcePathOf } from "./upstream-layout.js";
export type { UpstreamSource } from "./upstream-layout.js";
export * from "./types.js";
