/**
 * The source-index cache the report tests share: kept between runs (the first
 * build of the index takes seconds), and separate from the user's cache, so
 * that upstream files fetched by an online run never change what an offline
 * test renders.
 */
import { join } from "node:path";
import { PACKAGE_ROOT } from "../../src/trace/scenario.js";

/** Cache folder for `gatherSources` in tests. */
export const REPORT_CACHE = join(PACKAGE_ROOT, "node_modules", ".cache", "trace-socket-report-tests");
