/**
 * The exchange the adapter tests run (Redis, Redis Streams, Postgres), written once: the app
 * traced with `--client none --json` beside a bare second instance of the same app on the same
 * backing server, and a real client on each (`test/fixtures/apps/redis-adapter/client.mjs`).
 * ada, on the traced server, waits to hear bob's broadcast and answers it; bob, on the other,
 * speaks first and leaves once he hears her. So each adapter carries one broadcast each way.
 */
import type { ChildProcess } from "node:child_process";
import { join } from "node:path";
import { expect } from "vitest";
import { BIN } from "./cli.js";
import { traceLines, type TraceLine } from "./json-lines.js";
import { startNode } from "./watched-process.js";
import { PACKAGE_ROOT } from "../../src/trace/scenario.js";

const CLIENT = join(PACKAGE_ROOT, "test/fixtures/apps/redis-adapter/client.mjs");

/**
 * Runs the exchange on `app` (a path from the package root) with `env` (where the backing server
 * is) and resolves to the traced run's JSON lines once trace-socket ended on Ctrl-C. Every process
 * it starts is pushed to `children`, for the caller's afterAll to kill if a step failed.
 *
 * The bare instance starts only once the traced one listens: two start-ups at once can collide on
 * the backing server (the Postgres adapter's two `CREATE TABLE IF NOT EXISTS`).
 *
 * @example
 * const lines = await exchangeBesideBare("test/fixtures/apps/redis-adapter/server.js", { REDIS_URL: redis().url }, children);
 */
export async function exchangeBesideBare(app: string, env: NodeJS.ProcessEnv, children: ChildProcess[]): Promise<TraceLine[]> {
  const traced = startNode([BIN, app, "--client", "none", "--json"], env);
  children.push(traced.child);
  const url = (await traced.line(/listening on (http:\/\/\S+)/))[1];
  await traced.line(/press Ctrl-C/);
  const other = startNode([join(PACKAGE_ROOT, app)], env);
  children.push(other.child);
  const otherUrl = `http://127.0.0.1:${(await other.line(/listening on (\d+)/))[1]}`;
  const ada = startNode([CLIENT, url, "ada", "hello from bob", "hello from ada"]);
  children.push(ada.child);
  await ada.line(/connected/);
  const bob = startNode([CLIENT, otherUrl, "bob", "-", "hello from ada"]);
  children.push(bob.child);
  expect(await ada.exited, ada.err()).toBe(0);
  expect(await bob.exited, bob.err()).toBe(0);
  expect(ada.out()).toContain("heard hello from bob, hello from ada");
  traced.child.kill("SIGINT");
  expect(await traced.exited, traced.err()).toBe(0);
  other.child.kill();
  return traceLines(traced.out());
}
