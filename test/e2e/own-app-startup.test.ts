/**
 * Start-up of one's own app as real apps write it, traced with the built binary:
 * what the app observes is what it observes untraced, and every line of it that
 * calls into socket.io is a step, whenever it runs.
 */
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli.js";

interface Line {
  readonly type: string;
  readonly id?: string;
  readonly title?: string;
  readonly source?: string;
  readonly text?: string;
  readonly code?: { file: string; line: number; text: string };
  readonly calls?: readonly { name?: string; fn?: number; children?: unknown[] }[];
}

function parse(stdout: string): Line[] {
  return stdout.trim().split("\n").filter(Boolean).map((l) => JSON.parse(l) as Line);
}

describe("trace-socket path/to/server.js: start-up", () => {
  it("server.address() right after listen() is what the app sees bare, only bound to 127.0.0.1", async () => {
    const app = "test/fixtures/apps/address-now/server.js";
    const bare = await promisify(execFile)(process.execPath, [app], { env: { ...process.env, LEAVE_AT_ONCE: "1" } });
    const traced = await runCli([app, "--json"]);
    expect(traced.code).toBe(0);
    const logs = parse(traced.stdout).filter((l) => l.type === "log" && l.source === "stdout").map((l) => l.text ?? "");
    const bareLines = bare.stdout.trim().split("\n");
    expect(logs).toHaveLength(bareLines.length);
    // Bare: {"address":"::","family":"IPv6","port":N}; traced: the same keys, in the same order, with the bound address.
    const shape = (line: string): unknown => JSON.parse(line.replace("address after listen: ", "")) as unknown;
    const bareAddress = shape(bareLines[0]) as Record<string, unknown>;
    const tracedAddress = shape(logs[0]) as Record<string, unknown>;
    expect(Object.keys(tracedAddress)).toEqual(Object.keys(bareAddress));
    expect(bareAddress).toMatchObject({ address: "::", family: "IPv6", port: expect.any(Number) });
    expect(tracedAddress).toMatchObject({ address: "127.0.0.1", family: "IPv4", port: expect.any(Number) });
    expect(logs[1].replace(/\d+/, "N")).toBe(bareLines[1].replace(/\d+/, "N"));
    expect(logs[1]).toMatch(/^listening on port \d+: true$/);
  });
});
