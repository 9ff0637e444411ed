/**
 * The ends of a connection in words, for the frames table: a trace of one process reads as
 * before (client → server); in a trace of several, each server by its name and its own
 * connections to Redis with the server at the writing end.
 */
import { describe, expect, it } from "vitest";
import { connectionEnds, directionWords } from "../../src/trace/process-names.js";
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
    const ends = connectionEnds({ meta, connections: [connection(1, { process: 0 }), connection(2 ** 32 + 1, { process: 1, outgoing: true })] });
    expect(directionWords(ends.get(1), "in")).toBe("client → server A");
    expect(directionWords(ends.get(2 ** 32 + 1), "out")).toBe("server B → Redis");
    expect(directionWords(ends.get(2 ** 32 + 1), "in")).toBe("Redis → server B");
  });
});
