/**
 * trace-socket's own Redis beyond what the helper's test shows: nothing saved, bound to
 * loopback only, and a missing program reported in one line with the install command.
 */
import net from "node:net";
import { beforeAll, describe, expect, it } from "vitest";
import { RedisStartError, startOwnRedis } from "../../src/scenario/redis-server.js";
import { redisGate } from "../helpers/redis-server.js";

function ask(port: number, command: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, "127.0.0.1");
    let reply = "";
    socket.on("error", reject);
    socket.on("data", (d) => {
      reply += d.toString("latin1");
      if (reply.endsWith("\r\n") && !reply.startsWith("*")) { socket.end(); resolve(reply); }
      if (reply.startsWith("*2\r\n") && reply.split("\r\n").length >= 6) { socket.end(); resolve(reply); }
    });
    socket.write(command);
  });
}

describe("startOwnRedis", () => {
  it("says in one line how to install a missing redis-server", async () => {
    await expect(startOwnRedis("/nonexistent/redis-server")).rejects.toThrow(new RedisStartError("redis-server is not installed: sudo apt-get install redis-server"));
  });
});

describe.skipIf(redisGate.skip)(`startOwnRedis's configuration${redisGate.titleNote}`, () => {
  beforeAll(() => redisGate.assertPresent());

  it("saves nothing and binds loopback only", async () => {
    const redis = await startOwnRedis();
    try {
      expect(await ask(redis.port, "PING\r\n")).toBe("+PONG\r\n");
      expect(await ask(redis.port, "*3\r\n$6\r\nCONFIG\r\n$3\r\nGET\r\n$4\r\nsave\r\n")).toBe("*2\r\n$4\r\nsave\r\n$0\r\n\r\n");
      expect(await ask(redis.port, "*3\r\n$6\r\nCONFIG\r\n$3\r\nGET\r\n$10\r\nappendonly\r\n")).toBe("*2\r\n$10\r\nappendonly\r\n$2\r\nno\r\n");
      expect(await ask(redis.port, "*3\r\n$6\r\nCONFIG\r\n$3\r\nGET\r\n$4\r\nbind\r\n")).toBe("*2\r\n$4\r\nbind\r\n$9\r\n127.0.0.1\r\n");
    } finally {
      await redis.stop();
    }
  }, 60_000);
});
