/**
 * The fixture trace with a heartbeat arriving while step 3 is open: a ping
 * written by a timer (call #40) and the pong read back (call #41) on the
 * WebSocket connection, seconds after the step's own work.
 */
import type { CallNode, Chunk, Trace } from "../../src/trace/model.js";
import { clientFrame, wsFrame } from "../wire/helpers.js";
import { FN, fixtureTrace } from "../helpers/trace-fixture.js";

function heartbeatChunk(seq: number, dir: "in" | "out", data: Uint8Array, call: number, time: number): Chunk {
  return { seq, conn: 2, dir, time, data: Buffer.from(data).toString("base64"), size: data.length, call };
}

/** The fixture, its last step with one ping/pong exchange in the background. */
export function heartbeatTrace(): Trace {
  const base = fixtureTrace();
  const ping: CallNode = { seq: 40, fn: FN["Socket.sendPacket"], start: 25_000, end: 25_001, children: [], async: { kind: "timer", from: 23 } };
  const pong: CallNode = { seq: 41, fn: FN["Socket.onPacket"], start: 25_010, end: 25_011, children: [], async: { kind: "io", from: 40 } };
  const last = base.steps[2];
  // A step of user code (the client's emit): the heartbeat came while it was open, not because of it.
  const code = { file: "traces/chat/client.mjs", line: 11, text: 'socket.emit("chat message", "hi");', side: "client" as const };
  const steps = [...base.steps.slice(0, 2), { ...last, code, ended: 30_000, calls: [...last.calls, ping, pong], chunks: [...last.chunks, 7, 8] }];
  const chunks = [...base.chunks, heartbeatChunk(7, "out", wsFrame("2"), 40, 25_000.5), heartbeatChunk(8, "in", clientFrame("3"), 41, 25_010.5)];
  return { ...base, steps, chunks };
}
