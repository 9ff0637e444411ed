/**
 * An app with the Redis Streams adapter, traced while another server of the same app runs bare
 * beside it, on a real redis-server the test starts, a real client on each. The adapter is listed
 * in the header with the app's version; the traced server's broadcast runs from the app's handler
 * through RedisStreamsAdapter to an XADD written on its own Redis connection; the other server's
 * broadcast comes back in an XREAD reply, both decoded in the RESP view (tapped once the app loaded
 * the adapter), and reaches the traced server's client.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { BIN } from "../helpers/cli.js";
import { callNames, stepCalls, traceLines, type TraceLine } from "../helpers/json-lines.js";
import { redisGate, useRedisAndChildren } from "../helpers/redis-server.js";
import { startNode } from "../helpers/watched-process.js";
import { PACKAGE_ROOT } from "../../src/trace/scenario.js";
import { decodeChunks } from "../../src/wire/decode-chunks.js";
import type { Chunk } from "../../src/trace/model.js";

const ADAPTER = "@socket.io/redis-streams-adapter";
const APP = "test/fixtures/apps/redis-streams/server.js";
const CLIENT = join(PACKAGE_ROOT, "test/fixtures/apps/redis-adapter/client.mjs");

describe.skipIf(redisGate.skip)(`your own app with the Redis Streams adapter${redisGate.titleNote}`, () => {
  const { redis, children } = useRedisAndChildren();

  it("XADD from the app's handler, XREAD bringing the other server's broadcast, the adapter in the path", async () => {
    const env = { REDIS_URL: redis().url };
    const traced = startNode([BIN, APP, "--client", "none", "--json"], env);
    const other = startNode([join(PACKAGE_ROOT, APP)], env);
    children.push(traced.child, other.child);
    const url = (await traced.line(/listening on (http:\/\/\S+)/))[1];
    await traced.line(/press Ctrl-C/);
    const otherUrl = `http://127.0.0.1:${(await other.line(/listening on (\d+)/))[1]}`;
    const ada = startNode([CLIENT, url, "ada", "hello from bob", "hello from ada"]);
    await ada.line(/connected/);
    const bob = startNode([CLIENT, otherUrl, "bob", "-", "hello from ada"]);
    expect(await ada.exited, ada.err()).toBe(0);
    expect(await bob.exited, bob.err()).toBe(0);
    expect(ada.out()).toContain("heard hello from bob, hello from ada");
    traced.child.kill("SIGINT");
    expect(await traced.exited, traced.err()).toBe(0);
    other.child.kill();

    const lines = traceLines(traced.out());
    const installed = (JSON.parse(readFileSync(join(PACKAGE_ROOT, "node_modules", ADAPTER, "package.json"), "utf8")) as { version: string }).version;
    expect(lines.find((l) => l.type === "meta")?.packages?.[ADAPTER]).toBe(installed);
    const functions = new Map(lines.filter((l) => l.type === "function").map((l) => [l.id as number, l]));
    expect([...functions.values()].filter((f) => f.pkg === ADAPTER).every((f) => f.file?.startsWith(`node_modules/${ADAPTER}/dist/`))).toBe(true);

    // ada's say: the app's handler, then the adapter publishing it.
    const steps = lines.filter((l) => l.type === "step");
    const said = steps.find((s) => (s as { title?: string }).title === 'client 1: emits "say"') as TraceLine & { explanation?: string };
    expect(said, steps.map((s) => (s as { title?: string }).title).join(" | ")).toBeDefined();
    const path = callNames(stepCalls(said), functions);
    const handler = path.indexOf("<anonymous say listener in main> (app)");
    expect(handler, path.join(" → ")).toBeGreaterThanOrEqual(0);
    expect(path.slice(handler).some((n) => n.endsWith(`(${ADAPTER})`)), path.join(" → ")).toBe(true);
    expect(said.explanation).toContain(`${ADAPTER} ran `);

    // The app's Redis connection, decoded: the XADD carrying ada's broadcast, the XREAD replies carrying bob's.
    const outgoing = new Set(lines.filter((l) => l.type === "connection" && l.outgoing).map((l) => l.id));
    const chunks = (lines.filter((l) => l.type === "chunk") as unknown as Chunk[]).filter((c) => outgoing.has(c.conn));
    const messages = decodeChunks(chunks);
    const redisLayers = messages.flatMap((m) => m.layers.filter((layer) => layer.kind === "redis"));
    expect(redisLayers.length).toBeGreaterThan(0);
    expect(messages.filter((m) => m.malformed !== undefined).map((m) => m.malformed)).toEqual([]);
    // The bytes themselves: a message's raw text is cut for display.
    const raw = (dir: string): string => chunks.filter((c) => c.dir === dir).map((c) => Buffer.from(c.data, "base64").toString("latin1")).join("");
    expect(raw("out")).toMatch(/XADD/i);
    expect(raw("out")).toMatch(/XREAD/i);
    expect(raw("out")).toContain("hello from ada");
    expect(raw("in")).toContain("hello from bob");
  });
});
