/**
 * Start-up of one's own app as real apps write it, traced with the built binary:
 * what the app observes is what it observes untraced, and every line of it that
 * calls into socket.io is a step, whenever it runs.
 */
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli.js";
import { callNames, stepCalls, traceLines as parse, type TraceLine } from "../helpers/json-lines.js";

/** Every function that ran in each step (its folded turns included), as `name (pkg)`, by step id. */
function callsByStep(lines: readonly TraceLine[]): Map<string, string[]> {
  const functions = new Map(lines.filter((l) => l.type === "function").map((l) => [l.id as number, l]));
  return new Map(lines.filter((l) => l.type === "step").map((step) => [String(step.id), callNames(stepCalls(step), functions)]));
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

  it("start-up after an await in CommonJS: each socket.io line is a step, and listen() owns what listening ran", async () => {
    const { code, stdout } = await runCli(["test/fixtures/apps/async-main/server.js", "--json", "--emit-ack", "echo=1"]);
    expect(code).toBe(0);
    const lines = parse(stdout);
    const steps = lines.filter((l) => l.type === "step");
    expect(steps.map((s) => [s.id, s.code?.line])).toEqual([
      ["load", 4],
      ["init", 11],
      ["middleware", 12],
      ["handlers", 14],
      // listen() is called on line 13, but what it does runs when the server emits `listening`.
      ["run", 13],
      ["connect", 0],
      ["emit", 0],
      ["disconnect", 0],
    ]);
    const calls = callsByStep(lines);
    expect(calls.get("run")).toEqual(expect.arrayContaining(["Server.init (engine.io)", "<anonymous listen callback in main> (app)"]));
    expect(calls.get("handlers")).not.toContain("Server.init (engine.io)");
    expect(calls.get("emit")?.some((name) => /^<anonymous echo listener in .* \(app\)$/.test(name))).toBe(true);
  });

  it("start-up inside a function the file calls: the load before the app's first socket.io line and that line's own are steps with ids of their own", async () => {
    const { code, stdout } = await runCli(["test/fixtures/apps/wrapped-start/server.js", "--json", "--emit-ack", "echo=3"]);
    expect(code).toBe(0);
    const steps = parse(stdout).filter((l) => l.type === "step");
    expect(steps.map((s) => [s.id, s.code?.line])).toEqual([
      ["load", undefined],
      ["load-2", 5],
      ["init", 7],
      ["handlers", 8],
      ["run", 9],
      ["connect", 0],
      ["emit", 0],
      ["disconnect", 0],
    ]);
  });

  it("a Server attached in a timer and a listen() in a callback are steps with their lines", async () => {
    const { code, stdout } = await runCli(["test/fixtures/apps/late-attach/server.js", "--json", "--emit-ack", "echo=2"]);
    expect(code).toBe(0);
    const lines = parse(stdout);
    const steps = lines.filter((l) => l.type === "step");
    expect(steps.map((s) => [s.id, s.code?.line])).toEqual([
      ["load", 4],
      ["init", 9],
      ["handlers", 10],
      ["attach", 14],
      ["run", 15],
      ["connect", 0],
      ["emit", 0],
      ["disconnect", 0],
    ]);
    expect(callsByStep(lines).get("attach")).toContain("Server.initEngine (socket.io)");
  });
});
