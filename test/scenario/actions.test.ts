/**
 * The actions' validator, the steps and claims they become, and where they
 * sit among a scenario's steps (pure: live states and definitions as objects).
 */
import { describe, expect, it } from "vitest";
import type { LiveState } from "../../src/trace/model.js";
import type { StepDefinition } from "../../src/trace/scenario.js";
import { actionCode, type ServerAction } from "../../src/runtime/server-action.js";
import { actionClaims, actionStep, checkAction, TakenActions } from "../../src/scenario/actions.js";

const SID = "Fe8SqO0x";
const STATE: LiveState = {
  servers: [{ path: "/socket.io", namespaces: [{ name: "/", middlewares: [], sockets: [{ id: SID, rooms: [SID], address: "127.0.0.1", transport: "websocket", query: {}, auth: "{}" }], rooms: [{ name: SID, members: [SID] }] }] }],
};
const toRoom: ServerAction = { kind: "emit", server: 0, nsp: "/", to: { room: "lobby" }, event: "news", args: [{ headline: "a rather long headline here" }] };

describe("checkAction", () => {
  it("lets an action through when its target is in the live state", () => {
    expect(checkAction({ kind: "disconnect", server: 0, nsp: "/", socket: SID }, STATE)).toBeUndefined();
    // An empty room is a room socket.io emits to all the same.
    expect(checkAction(toRoom, STATE)).toBeUndefined();
  });

  it("refuses, in one line, what cannot be sent", () => {
    expect(checkAction({ kind: "disconnect", server: 0, nsp: "/", socket: "gone" }, STATE)).toBe("no socket gone in / now");
    expect(checkAction({ ...toRoom, nsp: "/admin" }, STATE)).toBe("the server has no namespace /admin");
    expect(checkAction(toRoom, undefined)).toBe("no live server state yet: run a step first");
    expect(checkAction({ ...toRoom, event: " " }, STATE)).toBe("an event needs a name");
    expect(checkAction({ ...toRoom, to: { room: "" } }, STATE)).toBe("a room needs a name");
    expect(checkAction({ ...toRoom, to: { socket: "x" } }, STATE)).toBe("no socket x in / now");
  });
});

describe("the step an action becomes", () => {
  it("is titled with the socket.io line it runs, long payloads cut", () => {
    expect(actionCode(toRoom)).toBe('io.to("lobby").emit("news", {"headline":"a rather l…)');
    expect(actionCode({ kind: "emit", server: 0, nsp: "/chat", to: { socket: SID }, event: "x", args: [1, null] })).toBe(`io.of("/chat").sockets.get("${SID}").emit("x", 1, null)`);
    expect(actionStep({ kind: "disconnect", server: 0, nsp: "/", socket: SID }, 2)).toMatchObject({ id: "action-2", title: `you: io.sockets.get("${SID}").disconnect()`, side: "none", docs: { methods: ["Socket.disconnect"] } });
  });

  it("claims what socket.io does, each with a check on the run", () => {
    const room = actionClaims(toRoom);
    expect(room.map((c) => ("check" in c ? c.check : undefined))).toEqual([
      { call: "Adapter.broadcast", under: "BroadcastOperator.emit" },
      { frame: { dir: "out", sio: "EVENT", nsp: "/", event: "news" }, writtenBy: "BroadcastOperator.emit" },
    ]);
    expect(actionClaims({ ...toRoom, to: { socket: SID } })[0]).toMatchObject({ check: { writtenBy: "Socket.emit" } });
    const gone = actionClaims({ kind: "disconnect", server: 0, nsp: "/", socket: SID });
    expect(gone[0]).toMatchObject({ check: { frame: { sio: "DISCONNECT" }, writtenBy: "Socket.disconnect" } });
    expect(gone[1]).toMatchObject({ check: { any: expect.arrayContaining([{ frame: { dir: "out", ws: "close" } }]) } });
  });

  it("never lets a {placeholder} in a user's event name reach the narration or the match", () => {
    const [, frame] = actionClaims({ ...toRoom, event: "{sid}" });
    expect(frame.say).toBe("The frame written carries the event (an EVENT packet, 42…).");
    expect("check" in frame && frame.check).toEqual({ frame: { dir: "out", sio: "EVENT", nsp: "/" }, writtenBy: "BroadcastOperator.emit" });
  });
});

describe("TakenActions", () => {
  const scenario = (): StepDefinition[] => ["a", "b", "c"].map((id) => ({ id, title: id, side: "server", docs: { options: [], methods: [] } }));

  it("inserts each action before the next scenario step, which keeps its own index for its processes", () => {
    const steps = scenario();
    const taken = new TakenActions();
    taken.insert(toRoom, steps, 1);
    taken.insert(toRoom, steps, 2);
    expect(steps.map((s) => s.id)).toEqual(["a", "action-1", "action-2", "b", "c"]);
    expect([0, 3, 4].map((i) => taken.originOf(steps, i))).toEqual([0, 1, 2]);
    expect(taken.has(steps[1])).toBe(true);
    expect(taken.has(steps[3])).toBe(false);
  });

  it("adds its claims to the declared ones, and leaves them as they are when none was taken", () => {
    const declared = { a: [{ say: "x", because: "y" }] };
    const taken = new TakenActions();
    expect(taken.withClaims(declared)).toBe(declared);
    expect(taken.withClaims(undefined)).toBeUndefined();
    taken.insert(toRoom, scenario(), 0);
    expect(Object.keys(taken.withClaims(declared)!)).toEqual(["a", "action-1"]);
  });
});
