import { describe, expect, it } from "vitest";
import { stableLinks, stablePorts, stableProcesses } from "../../src/export/stable-links.js";
import type { Connection, TraceMeta } from "../../src/trace/model.js";

const meta = (processes?: TraceMeta["processes"], address = "http://127.0.0.1:42539"): Pick<{ meta: TraceMeta }, "meta"> =>
  ({ meta: { address, ...(processes && { processes }) } as TraceMeta });

const conn = (id: number, local: string, remote: string, process: number, outgoing = false): Connection =>
  ({ id, local: `127.0.0.1:${local}`, remote: `127.0.0.1:${remote}`, opened: 0, process, ...(outgoing && { outgoing: true }) });

describe("stablePorts", () => {
  it("names each server's port after its process, the Redis port, and the clients' ports in connection order", () => {
    const processes = [{ id: 0, name: "A", address: "http://127.0.0.1:42539" }, { id: 1, name: "B", address: "http://127.0.0.1:42681" }];
    const ports = stablePorts(meta(processes), [
      conn(1, "44908", "40603", 0, true),
      conn(2, "44920", "40603", 1, true),
      conn(3, "42539", "36796", 0),
      conn(4, "42681", "36800", 1),
    ]);
    expect([...ports]).toEqual([
      ["42539", "PORT-A"], ["42681", "PORT-B"], ["40603", "REDIS-PORT"],
      ["44908", "CLIENT-PORT-1"], ["44920", "CLIENT-PORT-2"], ["36796", "CLIENT-PORT-3"], ["36800", "CLIENT-PORT-4"],
    ]);
  });

  it("calls the one server's port PORT in a trace of one process", () => {
    expect([...stablePorts(meta(), [conn(1, "42539", "36796", 0)])]).toEqual([["42539", "PORT"], ["36796", "CLIENT-PORT-1"]]);
  });
});

describe("stableProcesses", () => {
  it("rewrites each address with the replacer and keeps the rest", () => {
    const out = stableProcesses([{ id: 0, name: "A", address: "http://127.0.0.1:42539" }, { id: 1, name: "B" }], (s) => s.replace("42539", "PORT-A"));
    expect(out).toEqual([{ id: 0, name: "A", address: "http://127.0.0.1:PORT-A" }, { id: 1, name: "B" }]);
  });
});

describe("stableLinks", () => {
  it("renumbers chunks and calls by their ranks, drops callEnd and sorts by the sending chunk", () => {
    const calls = new Map([[726, 10], [4294967942, 20], [892, 30]]);
    const chunks = new Map([[27, 5], [4294967320, 9], [42, 3], [4294967327, 7]]);
    const links = stableLinks([
      { channel: "socket.io#/#", from: { process: "A", chunk: 27, call: 726, callBefore: true }, to: { process: "B", chunk: 4294967320, call: 4294967942, callEnd: 4294968000 } },
      { channel: "socket.io-response#/#", from: { process: "B", chunk: 4294967327 }, to: { process: "A", chunk: 42, call: 892, callEnd: 900 } },
    ], calls, chunks);
    expect(links).toEqual([
      { channel: "socket.io#/#", from: { process: "A", chunk: 5, call: 10, callBefore: true }, to: { process: "B", chunk: 9, call: 20 } },
      { channel: "socket.io-response#/#", from: { process: "B", chunk: 7 }, to: { process: "A", chunk: 3, call: 30 } },
    ]);
  });
});
