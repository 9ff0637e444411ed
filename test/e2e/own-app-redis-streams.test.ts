/**
 * An app with the Redis Streams adapter, traced while another server of the same app runs bare
 * beside it, on a real redis-server the test starts, a real client on each. The adapter is listed
 * in the header with the app's version; the traced server's broadcast runs from the app's handler
 * through RedisStreamsAdapter to an XADD written on its own Redis connection; the other server's
 * broadcast comes back in an XREAD reply, both decoded in the RESP view (tapped once the app loaded
 * the adapter), and reaches the traced server's client.
 */
import { describe, expect, it } from "vitest";
import { installedVersion } from "../helpers/installed.js";
import { exchangeBesideBare } from "../helpers/adapter-exchange.js";
import { callNames, stepCalls, type TraceLine } from "../helpers/json-lines.js";
import { redisGate, useRedisAndChildren } from "../helpers/redis-server.js";
import { decodeChunks } from "../../src/wire/decode-chunks.js";
import type { Chunk } from "../../src/trace/model.js";

const ADAPTER = "@socket.io/redis-streams-adapter";
const APP = "test/fixtures/apps/redis-streams/server.js";

describe.skipIf(redisGate.skip)(`your own app with the Redis Streams adapter${redisGate.titleNote}`, () => {
  const { redis, children } = useRedisAndChildren();

  it("XADD from the app's handler, XREAD bringing the other server's broadcast, the adapter in the path", async () => {
    const lines = await exchangeBesideBare(APP, { REDIS_URL: redis().url }, children);
    expect(lines.find((l) => l.type === "meta")?.packages?.[ADAPTER]).toBe(installedVersion(ADAPTER));
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
