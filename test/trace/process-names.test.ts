/**
 * The ends of a connection in words, for the frames table: a trace of one process reads as
 * before (client → server); in a trace of several, each server by its name and its own
 * connections to Redis with the server at the writing end.
 */
import { describe, expect, it } from "vitest";
import { callText, connectionEnds, connText, directionWords, displayId, seqText, serviceOfLayer } from "../../src/trace/process-names.js";
import { connectionLine, connectionNames } from "../../src/wire/connection-names.js";
import type { WireMessage } from "../../src/wire/types.js";
import type { Connection, TraceMeta } from "../../src/trace/model.js";

const connection = (id: number, extra: Partial<Connection> = {}): Connection => ({ id, remote: "127.0.0.1:1", local: "127.0.0.1:2", opened: 0, ...extra });

describe("connection ends", () => {
  it("a trace of one process: client → server, server → client", () => {
    const ends = connectionEnds({ meta: {} as TraceMeta, connections: [connection(1)] });
    expect(directionWords(ends.get(1), "in")).toBe("client → server");
    expect(directionWords(ends.get(1), "out")).toBe("server → client");
  });

  it("a trace of several: each server by name, its Redis connections with the server writing out", () => {
    const meta = { processes: [{ id: 0, name: "A" }, { id: 1, name: "B" }] } as unknown as TraceMeta;
    const ends = connectionEnds({ meta, connections: [connection(1, { process: 0 }), connection(2 ** 32 + 1, { process: 1, outgoing: true, service: "Redis" })] });
    expect(directionWords(ends.get(1), "in")).toBe("client → server A");
    expect(directionWords(ends.get(2 ** 32 + 1), "out")).toBe("server B → Redis");
    expect(directionWords(ends.get(2 ** 32 + 1), "in")).toBe("Redis → server B");
  });

  it("names the peer of a connection the process opened by what the trace says it reached, never Redis by default", () => {
    const meta = { processes: [{ id: 0, name: "primary" }, { id: 1, name: "worker-1" }] } as unknown as TraceMeta;
    const ends = connectionEnds({ meta, connections: [
      connection(1, { process: 0, outgoing: true, service: "PostgreSQL" }),
      connection(2, { process: 0, outgoing: true }),
      connection(2 ** 32 + 1, { process: 1, outgoing: true, remote: "ipc:primary" }),
    ] });
    expect(directionWords(ends.get(1), "out")).toBe("server primary → PostgreSQL");
    expect(directionWords(ends.get(2), "in")).toBe("service → server primary");
    expect(directionWords(ends.get(2 ** 32 + 1), "out")).toBe("server worker-1 → server primary");
  });

  it("tells the service from a decoded layer's kind", () => {
    expect([serviceOfLayer("redis"), serviceOfLayer("postgres"), serviceOfLayer("socketio"), serviceOfLayer(undefined)]).toEqual(["Redis", "PostgreSQL", undefined, undefined]);
  });
});

describe("ids as a reader knows them", () => {
  const several = { meta: { processes: [{ id: 0, name: "A" }, { id: 1, name: "B" }] } } as unknown as { meta: TraceMeta };
  const one = { meta: {} as TraceMeta };

  it("a trace of one process shows ids as they are", () => {
    expect(displayId(one, 7)).toBe("7");
    expect(connText(one, 3)).toBe("conn 3");
    expect(callText(one, 12)).toBe("call #12");
    expect(seqText(one, 12)).toBe("#12");
  });

  it("a trace of several shows each id as its own process's number, never the offset one (was conn 4294967297)", () => {
    expect(connText(several, 2 ** 32 + 1)).toBe("B conn 1");
    expect(connText(several, 2)).toBe("A conn 2");
    expect(callText(several, 2 ** 32 + 983)).toBe("B call #983");
    expect(seqText(several, 2 ** 32 + 983)).toBe("B #983");
  });

  it("connection names and the frame detail's line use the process's own number", () => {
    const message = (conn: number): WireMessage => ({ conn, dir: "in", time: 0, size: 1, raw: "x", firstChunk: conn, lastChunk: conn, layers: [] }) as unknown as WireMessage;
    const names = connectionNames([message(1), message(2 ** 32 + 1)], several);
    expect(names.get(2 ** 32 + 1)?.label).toBe("B c1");
    expect(names.get(1)?.label).toBe("A c1");
    expect(connectionLine(names.get(2 ** 32 + 1), 2 ** 32 + 1)).toBe("B conn 1");
    expect(connectionNames([message(3)]).get(3)).toMatchObject({ label: "c3", id: "conn 3" });
  });
});
