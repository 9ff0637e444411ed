/**
 * The bad-input corpus (`attack-cases.ts`) sent by hand-built raw clients at
 * the traced chat server and at an untraced copy of it, one case at a time.
 * Answers are awaited as events (the expected bytes, the close), never by a quiet period alone.
 * For every case:
 *  (a) both servers survive: a fresh raw polling handshake still gets `0{"sid"…`;
 *  (b) both answer the same: status lines, headers, frames, close codes and
 *      whether the connection was closed, with random ids normalised;
 *  (c) the trace shows the bytes sent, decoded or flagged malformed;
 *  (d) `decodeChunks` and `renderText` do not throw on it and stay bounded.
 */
import { isDeepStrictEqual } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { layerSummary, renderText } from "../../src/export/text.js";
import type { Chunk, Trace } from "../../src/trace/model.js";
import { decodeChunks } from "../../src/wire/index.js";
import type { WireMessage } from "../../src/wire/types.js";
import { startPlainChat, startTracedChat, type PlainChat, type TracedChat } from "../helpers/chat-servers.js";
import { handshakeWorks, type RawConnection } from "../helpers/raw-clients.js";
import { describeReply } from "../helpers/reply.js";
import { recordedWhen } from "../helpers/runner-wait.js";
import { ATTACK_CASES, type Attack, type AttackCase } from "./attack-cases.js";
import { kind } from "../../src/runtime/child.js";
import type { NodeProcess } from "../../src/runtime/node/node-runtime.js";
import type { FromTraced } from "../../src/runtime/node/protocol.js";

/** Longest line the text renderer may print for any input: the display limits plus labels. */
const MAX_RENDERED_LINE = 12_000;
/**
 * Characters that make a terminal do something: C0 controls but newline, DEL, C1 controls
 * (U+009B is an 8-bit CSI), line separators, bidi overrides and isolates.
 */
const TERMINAL_CONTROLS = /[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

let traced: TracedChat;
let plain: PlainChat;
/** The trace right after the server steps: meta, functions and steps for the per-case traces. */
let base: Trace;

beforeAll(async () => {
  [traced, plain] = await Promise.all([startTracedChat(), startPlainChat()]);
  base = traced.runner.trace();
}, 60_000);

afterAll(async () => {
  await Promise.all([traced?.close(), plain?.close()]);
});

interface Exercised {
  readonly reply: readonly string[];
  readonly closed: boolean;
  /** ms from opening the case's connection to the server closing it. */
  readonly closedAfterMs?: number;
  readonly ports: readonly number[];
  readonly alive: { readonly ok: boolean; readonly text: string };
}

/** Longest wait for an answer that is on its way; reached only when a test is failing. */
const ANSWER_DEADLINE_MS = 30_000;

/** No part of the reply is cut off: every HTTP body and WebSocket frame arrived whole. */
const complete = (reply: readonly string[]): boolean => !reply.some((line) => /^\s*(ws )?incomplete/.test(line));

/** What the case expects has arrived: its reply lines, whole, and the server's close when it expects one. */
function expectedArrived(c: AttackCase, connection: RawConnection): boolean {
  const reply = describeReply(connection.received);
  const lines = (c.expect.reply ?? []).every((pattern) => reply.some((line) => pattern.test(line)));
  return lines && complete(reply) && (c.expect.closed !== true || connection.closedByServer);
}

/**
 * Runs a case against one server until its answer is in. The answer is an event, not a
 * time: the bytes the case expects (a busy machine may take seconds to send them, far past
 * any quiet period), then a quiet period for anything the case does not name.
 */
async function answer(c: AttackCase, port: number): Promise<Attack> {
  const attack = await c.run(port);
  await attack.connection.until(() => expectedArrived(c, attack.connection), 0, ANSWER_DEADLINE_MS);
  await attack.connection.settle(c.settle ?? { quietMs: 350, maxMs: 6000 });
  return attack;
}

/** The reply as comparable lines, and whether the server closed the connection. */
const outcome = (connection: RawConnection) => ({ reply: describeReply(connection.received), closed: connection.closedByServer });

/**
 * Waits until the traced server has given the untraced one's answer, or stopped: tracing
 * may make it slower, never different, so a difference that lasts until the deadline (or
 * the close) is the failure the test reports.
 */
async function caughtUp(traced: RawConnection, plain: RawConnection): Promise<void> {
  const expected = outcome(plain);
  await traced.until(() => isDeepStrictEqual(outcome(traced), expected), 0, ANSWER_DEADLINE_MS);
}

/** Closes a case's connections, then checks the server still serves. */
async function finish(attack: Attack, port: number): Promise<Exercised> {
  const { reply, closed } = outcome(attack.connection);
  const { closedAt, openedAt } = attack.connection;
  for (const connection of attack.connections) connection.destroy();
  return { reply, closed, closedAfterMs: closedAt === undefined ? undefined : closedAt - openedAt, ports: attack.connections.map((c) => c.localPort), alive: await handshakeWorks(port) };
}

/**
 * The highest connection id the traced server has reported, once everything it
 * saw so far has arrived: `settle` answers after a flush, and IPC keeps order.
 */
async function lastConnectionId(): Promise<number> {
  const { collector } = traced.runner;
  const server = (traced.runner.server as NodeProcess).child;
  const settled = server.waitFor(kind<FromTraced, "settled">("settled"), 10_000, "settled");
  server.send({ t: "settle", quietMs: 0, maxMs: 0 });
  await settled;
  return Math.max(0, ...collector.connections.keys());
}

/** The traced server's chunks of the connections from `ports` opened after connection `after`, once it reported them closed. */
async function capturedChunks(ports: readonly number[], after: number): Promise<Chunk[]> {
  const { runner } = traced;
  // The OS reuses ephemeral ports across a long run (an earlier case's probe may have had this
  // port, and its connection may be all that has arrived yet): only connections opened since
  // the case began count, and per port the latest of those.
  const mine = (): number[] =>
    ports.flatMap((p) => {
      const matching = [...runner.collector.connections.values()].filter((c) => c.id > after && c.remote.endsWith(`:${p}`));
      return matching.length ? [Math.max(...matching.map((c) => c.id))] : [];
    });
  const arrived = (): boolean => {
    const ids = mine();
    return ids.length === ports.length && ids.every((id) => runner.collector.connections.get(id)?.closed !== undefined);
  };
  await recordedWhen(runner, arrived, ANSWER_DEADLINE_MS);
  const ids = new Set(mine());
  expect(ids.size, "the traced server saw the case's connections").toBe(ports.length);
  return runner.trace().chunks.filter((chunk) => ids.has(chunk.conn));
}

/** Every one-line description of an inbound message: raw text, problems and each layer's summary. */
function inboundSummaries(messages: readonly WireMessage[]): string[] {
  return messages
    .filter((m) => m.dir === "in")
    .flatMap((m) => [m.raw, ...(m.malformed ? [`malformed: ${m.malformed}`] : []), ...m.layers.map(layerSummary)]);
}

/** A trace holding only the case's chunks, in one step, for the renderer. */
function caseTrace(chunks: readonly Chunk[]): Trace {
  const last = base.steps[base.steps.length - 1];
  return { ...base, steps: [{ ...last, calls: [], chunks: chunks.map((c) => c.seq) }], chunks };
}

describe("the bad-input corpus, traced and untraced", () => {
  it.each(ATTACK_CASES.map((c) => [c.name, c] as const))("%s", async (_name, c) => {
    const before = await lastConnectionId();
    const [tracedAttack, plainAttack] = await Promise.all([answer(c, traced.port), answer(c, plain.port)]);
    await caughtUp(tracedAttack.connection, plainAttack.connection);
    const [t, p] = await Promise.all([finish(tracedAttack, traced.port), finish(plainAttack, plain.port)]);

    // (a) both servers survive
    expect(p.alive.ok, `untraced server after the case: ${p.alive.text}`).toBe(true);
    expect(t.alive.ok, `traced server after the case: ${t.alive.text}`).toBe(true);

    // (b) the same answer, traced or not, and the answer the case expects
    expect({ reply: t.reply, closed: t.closed }).toEqual({ reply: p.reply, closed: p.closed });
    for (const pattern of c.expect.reply ?? []) expect(p.reply, `reply line ${pattern}`).toEqual(expect.arrayContaining([expect.stringMatching(pattern)]));
    if (c.expect.closed !== undefined) expect(p.closed, "closed by the server").toBe(c.expect.closed);
    if (c.expect.closedWithinMs !== undefined) {
      for (const x of [p, t]) expect(x.closedAfterMs, "closed in time").toBeLessThanOrEqual(c.expect.closedWithinMs);
    }

    // (c) the capture shows what was sent, decoded or flagged
    const chunks = await capturedChunks(t.ports, before);
    expect(chunks.some((chunk) => chunk.dir === "in")).toBe(true);
    const messages = decodeChunks(chunks);
    const summaries = inboundSummaries(messages);
    for (const pattern of c.trace) expect(summaries, `trace shows ${pattern}`).toEqual(expect.arrayContaining([expect.stringMatching(pattern)]));
    const inBytes = chunks.filter((chunk) => chunk.dir === "in").reduce((n, chunk) => n + chunk.size, 0);
    const decodedBytes = messages.filter((m) => m.dir === "in").reduce((n, m) => n + m.size, 0);
    expect(decodedBytes, "every captured inbound byte belongs to a decoded message").toBe(inBytes);

    // (d) rendering the case never throws and stays bounded
    const text = renderText(caseTrace(chunks), { maxFrames: Number.POSITIVE_INFINITY });
    const longest = Math.max(...text.split("\n").map((line) => line.length));
    expect(longest, "longest rendered line").toBeLessThanOrEqual(MAX_RENDERED_LINE);
    const control = TERMINAL_CONTROLS.exec(text);
    expect(control && JSON.stringify(text.slice(Math.max(0, control.index - 60), control.index + 20)), "terminal control character in the rendered text").toBeNull();
  });

  it("the whole trace of the corpus decodes and renders", () => {
    const trace = traced.runner.trace();
    expect(trace.chunks.length).toBeGreaterThan(ATTACK_CASES.length);
    expect(() => decodeChunks(trace.chunks)).not.toThrow();
    const text = renderText(trace);
    expect(text).toContain("Step 4/4");
    expect(traced.runner.failure).toBeUndefined();
  });
});
