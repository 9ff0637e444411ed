/**
 * The PostgreSQL lifecycle the adapter test relies on: a throwaway cluster on a loopback port that
 * a real `pg` client can use (LISTEN/NOTIFY included), and nothing left after stop: no listener on
 * the port, no directory.
 */
import { existsSync } from "node:fs";
import pg from "pg";
import { beforeAll, describe, expect, it } from "vitest";
import { postgresGate, startPostgres } from "./postgres-server.js";
import { refuses } from "./system-tool.js";

describe.skipIf(postgresGate.skip)(`startPostgres${postgresGate.titleNote}`, () => {
  beforeAll(() => postgresGate.assertPresent());

  it("starts a cluster on a free loopback port that a real client can use, and stops and removes it", async () => {
    const server = await startPostgres();
    try {
      expect(server.url).toBe(`postgres://postgres@127.0.0.1:${server.port}/postgres`);
      const listener = new pg.Client({ connectionString: server.url });
      const notifier = new pg.Client({ connectionString: server.url });
      await Promise.all([listener.connect(), notifier.connect()]);
      const heard = new Promise<string | undefined>((resolve) => listener.once("notification", (n) => resolve(n.payload)));
      await listener.query('LISTEN "trace-socket"');
      await notifier.query("SELECT pg_notify($1, $2)", ["trace-socket", "here"]);
      expect(await heard).toBe("here");
      expect((await notifier.query("SHOW fsync")).rows[0]).toEqual({ fsync: "off" });
      await Promise.all([listener.end(), notifier.end()]);
    } finally {
      await server.stop();
    }
    expect(await refuses(server.port)).toBe(true);
    expect(existsSync(server.dir)).toBe(false);
    await server.stop();
  }, 60_000);
});
