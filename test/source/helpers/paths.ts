/**
 * Paths the source-index tests share.
 */
import { fileURLToPath } from "node:url";
import { join } from "node:path";

/** The project checkout, whose node_modules holds the installed socket.io family. */
export const PROJECT_ROOT = fileURLToPath(new URL("../../../", import.meta.url));

/** Hand-written upstream files served by the fixture server. */
export const UPSTREAM_FIXTURES = join(PROJECT_ROOT, "test", "fixtures", "upstream");
