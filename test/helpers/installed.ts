/**
 * What the project has installed, as the tests that check an app's packages header compare it:
 * the fixture apps resolve the family up to the project's own node_modules.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { PACKAGE_ROOT } from "../../src/trace/scenario.js";

/**
 * The version of `pkg` in the project's node_modules.
 *
 * @example
 * installedVersion("@socket.io/admin-ui"); // "0.5.1"
 */
export function installedVersion(pkg: string): string {
  return (JSON.parse(readFileSync(join(PACKAGE_ROOT, "node_modules", pkg, "package.json"), "utf8")) as { version: string }).version;
}
