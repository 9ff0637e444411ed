import { describe, expect, it } from "vitest";
import { serverSide } from "../../src/export/sequence-servers.js";
import type { Connection, TraceMeta } from "../../src/trace/model.js";

const STRIDE = 2 ** 32;
const conn = (id: number, process: number, extra: Partial<Connection> = {}): Connection =>
  ({ id, process, remote: "127.0.0.1:1", local: "127.0.0.1:2", opened: 0, ...extra });
const meta = (names: string[]): TraceMeta => ({ processes: names.map((name, id) => ({ id, name })) }) as unknown as TraceMeta;

describe("serverSide", () => {
  it("draws one server for a trace of one process, every connection a client's", () => {
    const side = serverSide({ meta: {} as TraceMeta, connections: [conn(1, 0)] });
    expect(side.declarations).toEqual(["    participant S as server (socket.io + engine.io on http.Server)"]);
    expect([side.arrow(1, "in", "C1"), side.arrow(1, "out", "C1")]).toEqual(["C1->>S", "S-->>C1"]);
  });

  it("draws each server and Redis, each message between the ends that exchanged it", () => {
    const connections = [conn(1, 0, { outgoing: true, service: "Redis" }), conn(2, 0), conn(STRIDE + 1, 1, { outgoing: true, service: "Redis" }), conn(STRIDE + 2, 1)];
    const side = serverSide({ meta: meta(["A", "B"]), connections });
    expect(side.declarations).toEqual(["    participant S0 as server A", "    participant S1 as server B", "    participant R as Redis"]);
    expect(side.last).toBe("R");
    expect([side.isClient(1), side.isClient(2), side.isClient(STRIDE + 2)]).toEqual([false, true, true]);
    expect(side.arrow(2, "in", "C2")).toBe("C2->>S0");
    expect(side.arrow(1, "out", "")).toBe("S0->>R");
    expect(side.arrow(STRIDE + 1, "in", "")).toBe("R-->>S1");
    expect(side.arrow(STRIDE + 2, "out", "C9")).toBe("S1-->>C9");
  });

  it("draws a participant per service the trace names, PostgreSQL beside Redis", () => {
    const connections = [conn(1, 0, { outgoing: true, service: "PostgreSQL" }), conn(STRIDE + 1, 1, { outgoing: true, service: "Redis" }), conn(STRIDE + 2, 1, { outgoing: true, service: "PostgreSQL" })];
    const side = serverSide({ meta: meta(["A", "B"]), connections });
    expect(side.declarations).toEqual(["    participant S0 as server A", "    participant S1 as server B", "    participant R as PostgreSQL", "    participant R1 as Redis"]);
    expect(side.last).toBe("R1");
    expect([side.arrow(1, "out", ""), side.arrow(STRIDE + 1, "in", ""), side.arrow(STRIDE + 2, "in", "")]).toEqual(["S0->>R", "R1-->>S1", "R-->>S1"]);
  });

  it("draws IPC between a worker and the primary, with no Redis", () => {
    const connections = [conn(1, 0, { remote: "ipc:worker-1", outgoing: true }), conn(STRIDE + 1, 1, { remote: "ipc:primary", outgoing: true })];
    const side = serverSide({ meta: meta(["primary", "worker-1"]), connections });
    expect(side.declarations).toEqual(["    participant S0 as server primary", "    participant S1 as server worker-1"]);
    expect(side.last).toBe("S1");
    expect(side.isClient(1)).toBe(false);
    expect(side.arrow(STRIDE + 1, "out", "")).toBe("S1->>S0");
    expect(side.arrow(1, "in", "")).toBe("S1-->>S0");
  });
});
