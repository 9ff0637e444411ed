/**
 * Predict mode's questions, on a real run's trace (the recorded chat) and on
 * hand-made ones: the right answer is the run's real next packet or call,
 * always among the choices; choices are distinct, of the answer's layer
 * (decoded here with the wire decoders, not the builder's own check), and
 * the same for the same seed; each answer carries the claim and the call.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { predictAll, predictContext, predictStep, type PredictQuestion, type StepPrediction } from "../../src/claims/predict/questions.js";
import type { Chunk, Step, Trace } from "../../src/trace/model.js";
import { decodeEngineText } from "../../src/wire/engineio.js";
import { createSocketStream } from "../../src/wire/socketio.js";
import { recordedChatTrace } from "../helpers/recorded-trace.js";
import { FN, fixtureTrace } from "../helpers/trace-fixture.js";
import { httpMessage, wsFrame } from "../wire/helpers.js";

let chat: Trace;
beforeAll(() => {
  chat = recordedChatTrace();
}, 120_000);

function questions(list: readonly StepPrediction[]): PredictQuestion[] {
  return list.filter((q): q is PredictQuestion => q.kind !== "skip");
}

/** How the wire decoders read a choice: Engine.IO packet name, Socket.IO packet name, or why not. */
function decoded(text: string): { engine?: string; socket?: string } {
  const { layer, messages } = decodeEngineText(text);
  const packet = layer.packets[0];
  if (!packet || packet.malformed || layer.packets.length !== 1) return {};
  if (packet.name !== "message") return { engine: packet.name };
  const socket = createSocketStream().decode(messages)?.packets[0];
  return socket && !socket.malformed ? { engine: packet.name, socket: socket.name } : { engine: packet.name };
}

function stepOf(trace: Trace, id: string): Step {
  return trace.steps.find((s) => s.id === id)!;
}

describe("predict on the recorded chat", () => {
  it("asks about every step, and the answer is the run's real first packet or next call", () => {
    const list = predictAll(chat, { seed: 1 });
    expect(list.map((q) => q.kind)).toEqual(["call", "call", "call", "call", "frame", "frame", "frame", "frame"]);
    const answer = (id: string): string => {
      const q = list[stepOf(chat, id).index] as PredictQuestion;
      return q.choices[q.answer].text;
    };
    expect(answer("connect")).toMatch(/^0\{"sid":"[\w-]{20}","upgrades":\["websocket"\],"pingInterval":1500/);
    expect(answer("message")).toBe('420["chat message","hi"]');
    expect(answer("heartbeat")).toBe("2");
    expect(answer("disconnect")).toBe("41");
    expect(answer("init")).toBe("Server.path");
  });

  it("for every seed: the answer among 4 distinct choices of its layer, in an order the seed decides", () => {
    const orders = new Set<string>();
    for (let seed = 1; seed <= 25; seed++) {
      for (const q of questions(predictAll(chat, { seed }))) {
        expect(q.choices).toHaveLength(4);
        expect(new Set(q.choices.map((c) => c.text)).size).toBe(4);
        expect(q.answer).toBeGreaterThanOrEqual(0);
        expect(q.answer).toBeLessThan(4);
        if (q.kind === "frame") {
          for (const choice of q.choices) {
            const read = decoded(choice.text);
            expect(read.engine, choice.text).toBeDefined();
            if (q.layer === "socket.io") expect(read.socket, choice.text).toBeDefined();
          }
        } else {
          const pkg = chat.functions.find((f) => f.name === q.choices[q.answer].text)!.pkg;
          for (const choice of q.choices) expect(chat.functions.filter((f) => f.name === choice.text).map((f) => f.pkg), choice.text).toContain(pkg);
        }
        orders.add(`${q.step}:${q.answer}:${q.choices.map((c) => c.text).join("|")}`);
      }
    }
    // 25 seeds over 8 questions: the seed does change what is drawn and where the answer sits.
    expect(orders.size).toBeGreaterThan(8 * 5);
    expect(predictAll(chat, { seed: 7 })).toEqual(predictAll(chat, { seed: 7 }));
  });

  it("a frame's answer names the call that wrote it and the claim that speaks of it, held on this run", () => {
    const ctx = predictContext(chat);
    const connect = stepOf(chat, "connect");
    const q = predictStep(ctx, connect.index) as PredictQuestion;
    const open = ctx.byStep.get(connect.index)!.find((m) => m.layers.some((l) => l.kind === "engine.io" && l.packets.some((p) => p.name === "open")))!;
    expect(q.why.call?.seq).toBe(open.call);
    expect(q.why.role).toBe("wrote");
    expect(q.why.call?.name).toMatch(/Polling|write/i);
    const held = connect.claims!.filter((c) => c.status === "held").map((c) => c.text);
    expect(held).toContain(q.why.claim);
    expect(q.why.claim).toMatch(/open packet/);
    expect(q.choices[q.answer].gloss).toBe("Engine.IO open");
    expect(q.context[0]).toMatch(/^before it: GET \/socket\.io\/\?EIO=4&transport=polling/);
  });

  it("a call's answer is the call that ran next under the path shown, with its caller and claim", () => {
    const ctx = predictContext(chat);
    for (const q of questions(predictAll(chat)).filter((q) => q.kind === "call")) {
      const seq = q.why.call!.seq;
      const call = ctx.index.calls.get(seq)!;
      expect(call.step).toBe(q.step);
      expect(ctx.index.nameOf(seq)).toBe(q.choices[q.answer].text);
      expect(q.why.caller?.seq).toBe(call.parent);
      expect(q.context[0]).toMatch(new RegExp(`${ctx.index.nameOf(call.parent!).replace(/[.()[\]]/g, "\\$&")}$`));
      expect(chat.steps[q.step].claims!.filter((c) => c.status === "held").map((c) => c.text)).toContain(q.why.claim);
    }
  });
});

function chunk(seq: number, conn: number, dir: "in" | "out", data: Uint8Array, call?: number): Chunk {
  return { seq, conn, dir, time: 100 + seq, data: Buffer.from(data).toString("base64"), size: data.length, ...(call !== undefined ? { call } : {}) };
}

describe("predict on hand-made traces", () => {
  it("asks the hand-made steps: the next call without frames, the open packet, the chat message", () => {
    const trace = fixtureTrace();
    const [init, connect, message] = predictAll(trace, { seed: 3 }) as PredictQuestion[];
    expect(init.kind).toBe("call");
    expect(init.choices[init.answer].text).toBe("Server.of");
    expect(init.context).toEqual(["the path so far: Server.constructor"]);
    expect(init.choices.map((c) => c.text).sort()).toEqual(["Namespace.constructor", "Server.attach", "Server.of"]);
    expect(init.why.claim).toBeUndefined();
    expect(connect.kind).toBe("frame");
    expect(connect.choices[connect.answer].text).toMatch(/^0\{"sid":"abc123"/);
    expect(connect.why).toMatchObject({ call: { seq: 23, name: "Socket.sendPacket", line: 386 }, role: "wrote" });
    expect(message.choices[message.answer].text).toBe('42["chat message","hi"]');
    expect(message.prompt).toMatch(/client send/);
    expect(message.why).toMatchObject({ call: { seq: 31 }, role: "read" });
  });

  it("skips a step with nothing to ask, saying why", () => {
    const base = fixtureTrace();
    const empty: Step = { ...base.steps[0], index: 3, id: "idle", title: "idle", calls: [], chunks: [] };
    const single: Step = { ...base.steps[0], index: 4, id: "one", title: "one", calls: [{ seq: 900, fn: FN["Server.of"], start: 900, end: 901, children: [] }], chunks: [] };
    const list = predictAll({ ...base, steps: [...base.steps, empty, single] });
    expect(list[3]).toEqual({ kind: "skip", step: 3, title: "idle", reason: "it puts no frame on the wire, and no call of the traced packages ran in it" });
    expect(list[4]).toMatchObject({ kind: "skip", reason: expect.stringMatching(/single call/) });
  });

  it("never asks about a heartbeat that only happened while a step with user code was open", () => {
    const base = fixtureTrace();
    const chunks = [...base.chunks.filter((c) => c.seq < 5), chunk(5, 2, "out", wsFrame("2"), 33), ...base.chunks.filter((c) => c.seq >= 5).map((c) => ({ ...c, seq: c.seq + 1 }))];
    const steps = base.steps.map((s) => (s.id === "message" ? { ...s, code: { file: "client.mjs", line: 3, text: 'socket.emit("chat message", "hi");', side: "client" as const }, chunks: [5, 6, 7], calls: [...s.calls, { seq: 33, fn: FN["Socket.sendPacket"], start: 33, end: 34, children: [] }] } : s));
    const q = predictAll({ ...base, chunks, steps })[2] as PredictQuestion;
    expect(q.choices[q.answer].text).toBe('42["chat message","hi"]');
  });

  it("two choices when the grammar and the run offer no more, asked for fewer", () => {
    const q = predictAll(fixtureTrace(), { choices: 2 })[1] as PredictQuestion;
    expect(q.choices).toHaveLength(2);
    expect(q.choices[q.answer].text).toMatch(/^0\{"sid"/);
  });

  it("never offers a packet that reads the same as the answer (another connection's open packet), nor an EVENT or ACK without arguments", () => {
    const base = fixtureTrace();
    const otherOpen = '0{"sid":"zzz999","upgrades":["websocket"],"pingInterval":25000,"pingTimeout":20000,"maxPayload":1000000}';
    const chunks = [
      ...base.chunks,
      chunk(7, 3, "in", httpMessage("GET /socket.io/?EIO=4&transport=polling HTTP/1.1", ["Host: 127.0.0.1"])),
      chunk(8, 3, "out", httpMessage("HTTP/1.1 200 OK", ["Content-Type: text/plain; charset=UTF-8"], otherOpen), 34),
    ];
    const steps = base.steps.map((s) => (s.id === "message" ? { ...s, chunks: [...s.chunks, 7, 8] } : s));
    const trace = { ...base, chunks, steps };
    expect(predictContext(trace).messages.some((m) => m.raw.includes("zzz999") || m.layers.some((l) => l.kind === "engine.io" && l.packets.some((p) => p.data.includes("zzz999"))))).toBe(true);
    for (let seed = 1; seed <= 30; seed++) {
      const texts = (predictAll(trace, { seed })[1] as PredictQuestion).choices.map((c) => c.text);
      expect(texts.filter((t) => t.startsWith("0{")), texts.join(" ")).toHaveLength(1);
      for (const q of questions(predictAll(chat, { seed }))) for (const c of q.choices) expect(c.text).not.toMatch(/^4[23]\d*$/);
    }
  });
});
