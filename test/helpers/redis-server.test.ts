/**
 * The redis-server lifecycle the adapter tests rely on: a real server on a loopback port that
 * answers a real client, two at once on different ports, and nothing left listening after stop.
 */
import { createClient } from "redis";
import { beforeAll, describe, expect, it } from "vitest";
import { redisGate, startRedis } from "./redis-server.js";
import { refuses } from "./system-tool.js";

describe.skipIf(redisGate.skip)(`startRedis${redisGate.titleNote}`, () => {
  beforeAll(() => redisGate.assertPresent());

  it("starts a redis-server on a free loopback port that a real client can use, and stops it", async () => {
    const [first, second] = await Promise.all([startRedis(), startRedis()]);
    try {
      expect(first.port).not.toBe(second.port);
      expect(first.url).toBe(`redis://127.0.0.1:${first.port}`);
      const client = createClient({ url: first.url });
      await client.connect();
      await client.set("trace-socket", "here");
      expect(await client.get("trace-socket")).toBe("here");
      await client.quit();
    } finally {
      await Promise.all([first.stop(), second.stop()]);
    }
    expect(await refuses(first.port)).toBe(true);
    expect(await refuses(second.port)).toBe(true);
    await first.stop();
  });
});
