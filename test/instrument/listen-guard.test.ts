/**
 * The loopback guard is invisible to the app: every listen() signature, run
 * bare and with the guard, observes the same thing (address() on return,
 * `listening`, the order of listening / callback / error / next tick / next
 * turn), except where it is bound. "The same" is defined here: where the bare
 * call binds a wildcard (`::` or `0.0.0.0`), the guarded one is bound to
 * 127.0.0.1, so `address()` says `address: "127.0.0.1", family: "IPv4"`; every
 * other field and every event is identical.
 */
import { execFile } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { PACKAGE_ROOT } from "../../src/trace/scenario.js";
import { rewriteListen } from "../../src/instrument/listen-guard.js";

const SHAPES = join(PACKAGE_ROOT, "test", "fixtures", "apps", "listen-shapes", "shapes.js");
const GUARD = join(PACKAGE_ROOT, "dist", "instrument", "listen-guard.js");

interface Address {
  readonly keys: string[];
  readonly port: string;
  readonly family: string;
  readonly address: string;
}
interface Observed {
  readonly name: string;
  readonly thrown?: string;
  readonly now: { address: Address | string | null; listening: boolean };
  readonly later: { address: Address | string | null; listening: boolean };
  readonly order: string[];
}

async function observe(env: NodeJS.ProcessEnv): Promise<Observed[]> {
  const { stdout } = await promisify(execFile)(process.execPath, [SHAPES], { env: { ...process.env, ...env } });
  return stdout.trim().split("\n").map((line) => JSON.parse(line) as Observed);
}

const WILDCARDS = new Set(["::", "0.0.0.0"]);

/** `guarded`'s address as the bare run would say it, where the guard moved a wildcard bind to loopback. */
function asBare(guarded: Address | string | null, bare: Address | string | null): Address | string | null {
  if (!guarded || !bare || typeof guarded === "string" || typeof bare === "string") return guarded;
  if (!WILDCARDS.has(bare.address)) return guarded;
  expect(guarded).toMatchObject({ address: "127.0.0.1", family: "IPv4" });
  return { ...guarded, address: bare.address, family: bare.family };
}

describe("listen guard", () => {
  it("every listen() signature behaves the same guarded and bare, bound to 127.0.0.1 instead of all interfaces", async () => {
    const [bare, guarded] = await Promise.all([observe({}), observe({ GUARD })]);
    expect(guarded.map((o) => o.name)).toEqual(bare.map((o) => o.name));
    expect(bare.length).toBeGreaterThanOrEqual(20);
    let moved = 0;
    for (const [i, b] of bare.entries()) {
      const g = guarded[i];
      if (typeof b.later.address === "object" && b.later.address && WILDCARDS.has(b.later.address.address)) moved++;
      const seen = { ...g, now: { ...g.now, address: asBare(g.now.address, b.now.address) }, later: { ...g.later, address: asBare(g.later.address, b.later.address) } };
      expect(seen, b.name).toEqual(b);
    }
    // The table covers host-less calls (bound synchronously), named hosts (bound after a lookup) and both kinds of error.
    expect(moved).toBeGreaterThanOrEqual(12);
    expect(bare.find((o) => o.name === "port")?.now.address).not.toBeNull();
    expect(bare.find((o) => o.name === "port + all-interfaces host")?.now.address).toBeNull();
    expect(bare.find((o) => o.name === "port in use")?.order[0]).toMatch(/^error EADDRINUSE/);
  });

  it("says what the app asked for, and leaves pipes, handles and loopback hosts alone", () => {
    expect(rewriteListen([3000], "127.0.0.1")).toEqual({ args: [{ port: 3000, host: "127.0.0.1" }], from: undefined, sync: true });
    const cb = (): void => undefined;
    expect(rewriteListen([3000, "0.0.0.0", 64, cb], "127.0.0.1")).toEqual({ args: [{ port: 3000, host: "127.0.0.1", backlog: 64 }, cb], from: "0.0.0.0", sync: false });
    expect(rewriteListen([{ port: 1, host: "::" }], "127.0.0.1")?.from).toBe("::");
    for (const args of [["/tmp/x.sock"], [{ path: "/tmp/x.sock" }], [{ handle: {} }], [{ fd: 3 }], [0, "localhost"], [{ port: 0, host: "::1" }], [{}]]) {
      expect(rewriteListen(args, "127.0.0.1"), JSON.stringify(args)).toBeUndefined();
    }
  });
});
