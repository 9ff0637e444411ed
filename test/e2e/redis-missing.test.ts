/**
 * `--scenario redis` on a machine without redis-server (issue 16: the cluster scenario is the
 * default there, since it needs nothing outside npm): the built binary says in one line that
 * redis-server is missing, how to install it, that `--redis` can name a running one and that
 * `--scenario cluster` needs nothing, and exits 2 having written nothing; not the stack of an
 * "unexpected error". The machine's redis-server is hidden by a PATH that holds none.
 */
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli.js";

const dir = mkdtempSync(join(tmpdir(), "trace-socket-no-redis-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
/** A PATH with no programs in it: spawning redis-server fails with ENOENT, as where it is not installed. */
const NO_REDIS = { PATH: dir };
const SAYS =
  "trace-socket: redis-server is not installed: sudo apt-get install redis-server (or --redis redis://host:port for one that runs); " +
  "--scenario cluster tells the same story across servers and needs nothing outside npm\n";

describe("--scenario redis without redis-server", () => {
  it("run --no-interactive says what to install and what runs without it, exit 2", async () => {
    const { code, stdout, stderr } = await runCli(["--scenario", "redis", "--no-interactive"], NO_REDIS);
    expect(stderr).toBe(SAYS);
    expect(stdout).toBe("");
    expect(code).toBe(2);
  });

  it("export says the same and writes no report", async () => {
    const output = join(dir, "REPORT.md");
    const { code, stderr } = await runCli(["export", "--scenario", "redis", "--offline", "-o", output], NO_REDIS);
    expect(stderr).toBe(SAYS);
    expect(code).toBe(2);
    expect(existsSync(output)).toBe(false);
  });
});
