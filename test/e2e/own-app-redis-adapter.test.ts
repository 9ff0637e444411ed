/**
 * An app with the Redis adapter, traced while another server of the same app runs bare beside it,
 * both on a real redis-server the test starts: each server has a real client of its own. A
 * broadcast the traced server makes has its path start at the app's handler line; one that
 * arrives from the other server starts at the adapter's Redis subscriber (RedisAdapter.onmessage),
 * never at a root Adapter.broadcast with no cause, and the Redis message it came in is on the wire.
 */
import { describe, expect, it } from "vitest";
import { exchangeBesideBare } from "../helpers/adapter-exchange.js";
import { pathTo, stepCalls, type CallLine as Call, type TraceLine as Line } from "../helpers/json-lines.js";
import { redisGate, useRedisAndChildren } from "../helpers/redis-server.js";

const APP = "test/fixtures/apps/redis-adapter/server.js";

describe.skipIf(redisGate.skip)(`your own app with the Redis adapter${redisGate.titleNote}`, () => {
  const { redis, children } = useRedisAndChildren();

  it("a broadcast's path starts at its cause: the app's handler here, the Redis subscriber for one from another server", async () => {
    const lines = await exchangeBesideBare(APP, { REDIS_URL: redis().url }, children);
    const functions = new Map(lines.filter((l) => l.type === "function").map((l) => [l.id as number, l]));
    const steps = lines.filter((l) => l.type === "step");
    const name = (call: Call): string => functions.get(call.fn)?.name ?? "?";
    // No step has a broadcast of the adapter's as a root: each is under what caused it.
    for (const step of steps) for (const root of stepCalls(step)) expect(name(root)).not.toMatch(/^(Redis)?Adapter\.broadcast$/);

    const writeOf = (text: string): Line => {
      const chunk = lines.find((l) => l.type === "chunk" && l.dir === "out" && Buffer.from(l.data ?? "", "base64").toString("latin1").includes(`["said","${text}"]`));
      expect(chunk?.call, `the frame carrying ${text} is linked to the call that wrote it`).toBeGreaterThanOrEqual(0);
      return chunk!;
    };
    // ada's own say: the app's handler (server.js:16) → io.emit → RedisAdapter.broadcast → Adapter.broadcast → the frame.
    const own = pathTo(steps, writeOf("hello from ada").call!)!.map(name);
    const handler = own.indexOf("<anonymous say listener in main>");
    expect(handler, own.join(" → ")).toBeGreaterThanOrEqual(0);
    expect(functions.get(pathTo(steps, writeOf("hello from ada").call!)![handler].fn)).toMatchObject({ pkg: "app", line: 16 });
    expect(own.slice(handler)).toEqual(expect.arrayContaining(["RedisAdapter.broadcast", "Adapter.broadcast"]));
    expect(own.indexOf("Adapter.broadcast")).toBeGreaterThan(own.indexOf("RedisAdapter.broadcast"));
    // bob's say, published by the other server: the traced server's Redis subscriber → RedisAdapter.onmessage → Adapter.broadcast → the frame to ada.
    const arrived = pathTo(steps, writeOf("hello from bob").call!)!.map(name);
    expect(arrived, arrived.join(" → ")).toContain("RedisAdapter.onmessage");
    expect(arrived.indexOf("Adapter.broadcast")).toBeGreaterThan(arrived.indexOf("RedisAdapter.onmessage"));
    expect(functions.get(pathTo(steps, writeOf("hello from bob").call!)![0].fn)?.pkg).toBe("@socket.io/redis-adapter");
    expect(arrived).not.toContain("<anonymous say listener in main>");
    // And that subscriber's cause is on the wire: the Redis pmessage carrying bob's broadcast, read
    // on the traced server's own Redis connection (tapped once the app loaded the adapter), is
    // linked to the call it started.
    const root = pathTo(steps, writeOf("hello from bob").call!)![0].seq;
    const outgoing = new Set(lines.filter((l) => l.type === "connection" && l.outgoing).map((l) => l.id));
    const pmessage = lines.find((l) => l.type === "chunk" && l.dir === "in" && outgoing.has(l.conn) && /pmessage[\s\S]*hello from bob/.test(Buffer.from(l.data ?? "", "base64").toString("latin1")));
    expect(pmessage, "bob's broadcast as the traced server's Redis subscriber read it").toBeDefined();
    // The calls a chunk's read started are `call <= seq < callEnd` (just `call` without an end).
    expect(root).toBeGreaterThanOrEqual(pmessage!.call!);
    if (pmessage!.callEnd === undefined) expect(root).toBe(pmessage!.call);
    else expect(root).toBeLessThan(pmessage!.callEnd);
  });
});
