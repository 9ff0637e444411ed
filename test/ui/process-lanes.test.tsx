/**
 * The stepper's lanes per process: the pure rules of `process-lanes.ts` on objects, then the
 * stepper at 80×24 over a trace of two processes (server A with a client and its Redis
 * connection, server B receiving the broadcast on its own Redis connection and writing it to its
 * client): a lane header per process in the calls and frames panes, `v` cycling all / A / B,
 * Redis frames told apart from client frames.
 */
import { afterEach, describe, expect, it } from "vitest";
import { cleanup } from "ink-testing-library";
import { PROCESS_ID_STRIDE, type CallNode, type Chunk, type Trace } from "../../src/trace/model.js";
import {
  connectionPeers,
  inView,
  laneName,
  laneRows,
  laneWindow,
  nextProcessView,
  peerWords,
  processLanes,
  processViewText,
  withPeerLabels,
} from "../../src/ui/process-lanes.js";
import type { ConnectionName } from "../../src/wire/connection-names.js";
import { KEYS, lines, renderApp } from "../helpers/render.js";
import { FN, fixtureTrace } from "../helpers/trace-fixture.js";
import { httpMessage, wsFrame } from "../wire/helpers.js";

afterEach(() => cleanup());

const S = PROCESS_ID_STRIDE;
const TWO = [{ id: 0, name: "server A" }, { id: 1, name: "server B" }];

describe("process lanes, pure", () => {
  it("names one-letter processes as servers and keeps names that say what they are", () => {
    expect(laneName("A")).toBe("server A");
    expect(laneName("primary")).toBe("primary");
    expect(laneName("worker-1")).toBe("worker-1");
    expect(processLanes({ meta: { processes: [{ id: 0, name: "A" }, { id: 1, name: "B" }] } })).toEqual(TWO);
    // One process, or none listed: no lanes at all.
    expect(processLanes({ meta: {} })).toEqual([]);
    expect(processLanes({ meta: { processes: [{ id: 0, name: "A" }] } })).toEqual([]);
  });

  it("cycles the view all → each process → all, and says which", () => {
    const three = [...TWO, { id: 2, name: "worker-2" }];
    const seen: (number | undefined)[] = [];
    let view: number | undefined;
    for (let i = 0; i < 4; i++) seen.push((view = nextProcessView(view, three)));
    expect(seen).toEqual([0, 1, 2, undefined]);
    expect(nextProcessView(undefined, [])).toBeUndefined();
    expect(processViewText(undefined, three)).toBe("all 3 processes");
    expect(processViewText(1, three)).toBe("server B only (2/3)");
  });

  it("filters to one process, or groups lane by lane keeping each lane's order", () => {
    const items = [{ p: 1, n: "b1" }, { p: 0, n: "a1" }, { p: 1, n: "b2" }, { p: 0, n: "a2" }];
    const of = (item: { p: number }): number => item.p;
    expect(inView(items, of, undefined, TWO).map((i) => i.n)).toEqual(["a1", "a2", "b1", "b2"]);
    expect(inView(items, of, 1, TWO).map((i) => i.n)).toEqual(["b1", "b2"]);
    // A trace of one process is left as it is.
    expect(inView(items, of, undefined, [])).toBe(items);
  });

  it("heads each run of a process with its name, and none without lanes", () => {
    const rows = laneRows(["a", "a.child", "b"], (x) => (x === "a" ? 0 : x === "b" ? 1 : undefined), TWO);
    expect(rows.map((r) => (r.kind === "header" ? r.text : r.item))).toEqual(["── server A", "a", "a.child", "── server B", "b"]);
    expect(laneRows(["a", "b"], () => 0, []).every((r) => r.kind === "item")).toBe(true);
  });

  it("keeps the cursor in view, with the header of the lane the list is scrolled to", () => {
    const rows = laneRows([0, 0, 0, 1, 1, 1], (p) => p, TWO);
    // rows: [hA, 0, 1, 2, hB, 3, 4, 5]
    expect(laneWindow(rows, 0, 0, 3)).toBe(0);
    expect(laneWindow(rows, 3, 0, 3)).toBe(3);
    expect(laneWindow(rows, 5, 0, 3)).toBe(5);
    // Scrolled to item 3, the first of B: its header shows above it.
    expect(laneWindow(rows, 3, 3, 3)).toBe(4);
    // Moving up onto the first of a lane brings its header back in.
    expect(laneWindow(rows, 3, 5, 3)).toBe(4);
  });

  it("tells clients, Redis and IPC channels apart, and names them in frame rows", () => {
    const trace = {
      meta: { processes: [{ id: 0, name: "primary" }, { id: 1, name: "worker-1" }] },
      connections: [
        { id: 1, remote: "ipc:worker-1", local: "", opened: 0, outgoing: true, process: 0 },
        { id: 2, remote: "127.0.0.1:5000", local: "127.0.0.1:4000", opened: 0, process: 0 },
        { id: S + 1, remote: "127.0.0.1:6379", local: "127.0.0.1:4001", opened: 0, outgoing: true, service: "Redis", process: 1 },
      ],
    };
    const peers = connectionPeers(trace);
    expect(peers.get(1)).toEqual({ server: "primary", peer: "IPC worker-1", inter: true, service: false });
    expect(peers.get(2)).toEqual({ server: "primary", peer: "client", inter: false, service: false });
    expect(peers.get(S + 1)).toEqual({ server: "worker-1", peer: "Redis", inter: true, service: true });
    expect(peerWords(peers.get(S + 1), "in")).toBe("Redis → worker-1");
    expect(peerWords(peers.get(2), "out")).toBe("primary → client");
    const names = new Map<number, ConnectionName>([1, 2, S + 1].map((conn) => [conn, { conn, id: `conn ${conn}`, label: conn === 2 ? "ws abc123" : `c${conn}` }]));
    const labels = withPeerLabels(names, peers);
    expect([1, 2, S + 1].map((c) => labels.get(c)?.label)).toEqual(["IPC worker-1", "ws abc123", "Redis c1"]);
    // A connection the trace names PostgreSQL is labelled so; one no decoder recognised is no Redis either.
    const other = connectionPeers({ ...trace, connections: [
      { id: 5, remote: "127.0.0.1:5432", local: "127.0.0.1:4005", opened: 0, outgoing: true, service: "PostgreSQL" },
      { id: 6, remote: "127.0.0.1:27017", local: "127.0.0.1:4006", opened: 0, outgoing: true },
    ] });
    const otherLabels = withPeerLabels(new Map([5, 6].map((conn) => [conn, { conn, id: `conn ${conn}`, label: `c${conn}` }])), other);
    expect([5, 6].map((c) => otherLabels.get(c)?.label)).toEqual(["PostgreSQL c5", "service c6"]);
  });
});

function chunk(seq: number, conn: number, dir: "in" | "out", time: number, data: Uint8Array, call?: number): Chunk {
  return { seq, conn, dir, time, data: Buffer.from(data).toString("base64"), size: data.length, ...(call !== undefined ? { call } : {}) };
}

const resp = (...parts: string[]): Uint8Array => Buffer.from(`*${parts.length}\r\n${parts.map((p) => `$${Buffer.byteLength(p)}\r\n${p}\r\n`).join("")}`);

/**
 * The fixture chat as server A, plus its Redis connection (a PUBLISH in the message step) and a
 * server B whose Redis connection receives the message and whose client is sent it.
 */
function twoServers(): Trace {
  const base = fixtureTrace();
  const fnB = (name: string): number => S + FN[name];
  const bCalls: CallNode = {
    seq: S + 5, fn: fnB("Socket.onPacket"), start: 250, end: 252, process: 1,
    children: [{ seq: S + 6, fn: fnB("Socket.sendPacket"), start: 251, end: 252, children: [], process: 1 }],
  };
  const chunks: Chunk[] = [
    ...base.chunks,
    chunk(7, 3, "out", 107, resp("PUBLISH", "socket.io#/#", "hi"), 34),
    chunk(S + 1, S + 1, "out", 240, resp("SUBSCRIBE", "socket.io#/#")),
    chunk(S + 2, S + 1, "in", 250, resp("message", "socket.io#/#", "hi"), S + 5),
    chunk(S + 3, S + 2, "in", 241, httpMessage("GET /socket.io/?EIO=4&transport=websocket HTTP/1.1", ["Host: 127.0.0.1", "Upgrade: websocket", "Connection: Upgrade", "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==", "Sec-WebSocket-Version: 13"])),
    chunk(S + 4, S + 2, "out", 242, httpMessage("HTTP/1.1 101 Switching Protocols", ["Upgrade: websocket", "Connection: Upgrade", "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo="])),
    chunk(S + 5, S + 2, "out", 251, wsFrame('42["chat message","hi"]'), S + 6),
  ];
  const steps = base.steps.map((s) => (s.index === 2 ? { ...s, calls: [...s.calls, bCalls], chunks: [...s.chunks, 7, S + 1, S + 2, S + 3, S + 4, S + 5] } : s));
  return {
    ...base,
    meta: { ...base.meta, scenario: "redis", processes: [{ id: 0, name: "A" }, { id: 1, name: "B" }] },
    functions: [...base.functions, ...base.functions.map((f) => ({ ...f, id: S + f.id, process: 1 }))],
    steps,
    connections: [
      ...base.connections,
      { id: 3, remote: "127.0.0.1:6379", local: "127.0.0.1:41000", opened: 101, outgoing: true, service: "Redis" },
      { id: S + 1, remote: "127.0.0.1:6379", local: "127.0.0.1:41001", opened: 201, outgoing: true, service: "Redis", process: 1 },
      { id: S + 2, remote: "127.0.0.1:50002", local: "127.0.0.1:40001", opened: 202, process: 1 },
    ],
    chunks,
  };
}

function expectFits(frame: string): void {
  const rows = lines(frame);
  expect(rows).toHaveLength(24);
  for (const row of rows) expect([...row].length, row).toBeLessThanOrEqual(80);
}

/** The calls pane's rows (the left column, below its title), trimmed. */
function leftColumn(frame: string): string[] {
  return lines(frame).map((line) => line.split("│")[0].trim());
}

describe("the stepper's lanes at 80×24", () => {
  it("heads each process's calls and frames, and v shows all, then A alone, then B alone, then all", async () => {
    const app = renderApp({ trace: twoServers() });
    await app.waitFor("calls");
    await app.press(KEYS.right, KEYS.right);
    let frame = await app.waitFor("step 3/3");
    expectFits(frame);
    let left = leftColumn(frame);
    const a = left.indexOf("── server A");
    const b = left.indexOf("── server B");
    expect(a).toBeGreaterThan(0);
    expect(b).toBeGreaterThan(a);
    // Each lane holds its own process's calls: A's handler under A, B's sendPacket under B.
    expect(left.slice(a, b).some((row) => row.includes("anonymous connection"))).toBe(true);
    expect(left.slice(b).some((row) => row.includes("Socket.sendPacket"))).toBe(true);

    await app.press("v");
    frame = await app.waitFor("server A only");
    expectFits(frame);
    expect(lines(frame)[0]).toMatch(/^trace-socket · redis · server A only · /);
    expect(frame).toMatch(/calls 3 · 1\/3 · server A/);
    left = leftColumn(frame);
    expect(left).toContain("── server A");
    expect(left).not.toContain("── server B");

    await app.press("v");
    frame = await app.waitFor("server B only");
    expect(frame).toMatch(/calls 2 · 1\/2 · server B/);
    left = leftColumn(frame);
    expect(left).toContain("── server B");
    expect(left).not.toContain("── server A");
    expect(left.some((row) => row.includes("anonymous connection"))).toBe(false);
    // The selected call is B's first, named in B's own numbers.
    expect(frame).toMatch(/B call #5 · /);

    await app.press("v");
    frame = await app.waitFor("all 2 processes");
    expect(leftColumn(frame)).toContain("── server B");
    expect(frame).toMatch(/calls 5 · /);
  });

  it("tells the client frames from the Redis frames, each under its server, with who sent each", async () => {
    const app = renderApp({ trace: twoServers() });
    await app.waitFor("calls");
    await app.press(KEYS.right, KEYS.right, KEYS.tab, KEYS.tab);
    await app.waitFor("frames 8");
    // Zoomed, then walked down: the list's rows as they scroll by, in order.
    await app.press("z");
    const list: string[] = [];
    const take = (frame: string): void => {
      expectFits(frame);
      const rows = lines(frame);
      const top = rows.findIndex((row) => row.startsWith("frames 8"));
      const bottom = rows.findIndex((row) => row.startsWith("── decode"));
      for (const row of rows.slice(top + 1, bottom)) if (row.trim() && !list.includes(row.replace(/^›/, " "))) list.push(row.replace(/^›/, " "));
    };
    take(await app.waitFor(/^── server A$/m));
    for (let i = 0; i < 8; i++) {
      await app.press("j");
      take(app.frame());
    }
    const a = list.indexOf("── server A");
    const b = list.indexOf("── server B");
    expect(a).toBe(0);
    expect(b).toBe(4);
    const laneA = list.slice(a, b).join("\n");
    const laneB = list.slice(b).join("\n");
    expect(laneA).toMatch(/→ ws abc123 42\["chat message","hi"\]/);
    expect(laneA).toMatch(/← Redis c3 \*3\\r\\n\$7\\r\\nPUBLISH/);
    expect(laneB).toMatch(/← Redis c1 \*2\\r\\n\$9\\r\\nSUBSCRIBE/);
    expect(laneB).toMatch(/→ Redis c1 \*3\\r\\n\$7\\r\\nmessage/);
    expect(laneB).toMatch(/← ws B c2 42\["chat message","hi"\]/);
    await app.press(KEYS.home);
    const frame = await app.waitFor(/› \+0\.\d+ +\d+B → ws abc123/);
    // The selected frame's detail says who sent it; B's frames name B's own call numbers.
    expect(frame).toContain("client → server A");
    await app.press("j", "j");
    expect(await app.waitFor("server A → Redis")).toMatch(/A call #34/);
    await app.press("j", "j");
    expect(await app.waitFor("Redis → server B")).toMatch(/B call #5 /);
  });

  it("says v has nothing to switch in a trace of one process, and draws no lane headers", async () => {
    const app = renderApp();
    await app.waitFor("calls");
    await app.press(KEYS.right, KEYS.right);
    // The arrows first, seen on the screen: on a loaded machine a key written right behind an escape
    // sequence can reach ink in the same read and be parsed with it.
    await app.waitFor("step 3 · what happens");
    await app.press("v");
    const frame = await app.waitFor("this trace has one");
    expect(frame).not.toContain("── server");
    expect(frame).not.toContain(" only ");
  });
});
