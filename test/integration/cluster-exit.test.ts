/**
 * How a traced cluster worker's end is told, on a real cluster (the cluster scenario's
 * primary and its two workers): a worker reports to the CLI over a socket of its own, which
 * cannot carry an exit status, so its primary (the parent that reaps it) reports it. A worker
 * killed mid-run is said to have died of its signal, not of `code null`; at the run's close the
 * workers are stopped before their primary, which sees them exit with 0 and reaps them.
 */
import { describe, expect, it } from "vitest";
import { startCluster } from "../../src/scenario/cluster-run.js";
import { INSTALL_ROOT, loadScenario } from "../../src/trace/scenario.js";
import { alive } from "../helpers/processes.js";

const start = () => startCluster({ scenario: loadScenario("cluster"), projectRoot: INSTALL_ROOT, command: "test", host: "127.0.0.1", port: 0 });

describe("a traced cluster worker's end", () => {
  it("a worker killed by a signal is reported with that signal; the others close with code 0 and none is left unreaped", async () => {
    const runner = await start();
    const [primary, one, two] = runner.processes.map((p) => p.server);
    try {
      process.kill(one.pid!, "SIGKILL");
      expect(await one.exited).toEqual({ code: null, signal: "SIGKILL" });
      expect(one.dead).toBe(true);
      expect(runner.failure).toMatch(/^the traced app exited unexpectedly \(signal SIGKILL\)/);
      expect(primary.dead).toBe(false);
    } finally {
      await runner.close();
    }
    expect(await two.exited).toEqual({ code: 0, signal: null });
    // Reaped by their primary before it ended: not even a zombie is left.
    expect([one.pid!, two.pid!, primary.pid!].filter(alive)).toEqual([]);
  }, 120_000);

  it("a worker whose primary was killed first is not said to have ended with code null", async () => {
    const runner = await start();
    const [primary, one] = runner.processes.map((p) => p.server);
    try {
      process.kill(primary.pid!, "SIGKILL");
      expect(await primary.exited).toEqual({ code: null, signal: "SIGKILL" });
      // Node's cluster ends a worker whose primary's channel closed; only the primary could have told how.
      expect(await one.exited).toEqual({ code: null, signal: null });
      const worker = runner.processes[1].server.failure;
      expect(worker).toMatch(/^the traced app exited unexpectedly \(how is unknown: its primary ended first\)/);
      expect(worker).not.toContain("code null");
    } finally {
      await runner.close();
    }
  }, 120_000);
});
