/**
 * The action menu (`a`): its model on keys and live states (pure), the
 * reducer's follow, and the menu drawn by the real App at 80×24 with
 * ink-testing-library over a replayed trace whose source records what it is
 * asked to run (the Runner's side is tested on a real server in
 * test/integration/server-actions.test.ts).
 */
import { afterEach, describe, expect, it } from "vitest";
import { cleanup } from "ink-testing-library";
import type { LiveState, Trace } from "../../src/trace/model.js";
import type { ServerAction } from "../../src/runtime/server-action.js";
import { MENU_START, menuKey, parsePayload, targetsOf, type ActionMenu } from "../../src/ui/action-menu.js";
import { keyPresses, type KeyInfo } from "../../src/ui/keymap.js";
import { ReplaySource } from "../../src/ui/trace-source.js";
import { initialState } from "../../src/ui/state.js";
import { KEYS, lines, renderApp } from "../helpers/render.js";
import { fixtureTrace } from "../helpers/trace-fixture.js";
import { run } from "./state-env.js";

afterEach(() => cleanup());

const A = "Ab3_x-Yz9qR7tUvWAAAA";
const B = "Zz9_x-Yz9qR7tUvWAAAB";

const STATE: LiveState = {
  servers: [
    {
      path: "/socket.io",
      namespaces: [
        {
          name: "/",
          middlewares: [],
          sockets: [A, B].map((id) => ({ id, rooms: [id, "lobby"], address: "127.0.0.1", transport: "websocket", query: {}, auth: "{}" })),
          rooms: [{ name: A, members: [A] }, { name: B, members: [B] }, { name: "lobby", members: [A, B] }],
        },
        { name: "/admin", middlewares: [], sockets: [], rooms: [] },
      ],
    },
  ],
};

/** Types `text` into the menu as the app would get it (one chunk, split into keys). */
function type(menu: ActionMenu, text: string, key: KeyInfo = {}): { menu?: ActionMenu; send?: ServerAction } {
  let at: { menu?: ActionMenu; send?: ServerAction } = { menu };
  for (const [input, info] of keyPresses(text, key)) {
    if (!at.menu) break;
    at = menuKey(at.menu, input, info, STATE);
  }
  return at;
}

describe("the action menu's model", () => {
  it("lists sockets and rooms of every namespace from the live state", () => {
    expect(targetsOf(STATE, "emit-socket").map((t) => t.name)).toEqual([A, B]);
    expect(targetsOf(STATE, "disconnect-socket")[1]).toMatchObject({ server: 0, nsp: "/", name: B });
    expect(targetsOf(STATE, "emit-room").map((t) => t.label)).toContain("lobby  / · 2 members");
    expect(targetsOf(undefined, "emit-room")).toEqual([]);
  });

  it("reads a payload as JSON: one argument, none when empty, a readable line when it is not JSON", () => {
    expect(parsePayload('{"a":[1,2]}')).toEqual({ args: [{ a: [1, 2] }] });
    expect(parsePayload("  ")).toEqual({ args: [] });
    expect(parsePayload('"hi"')).toEqual({ args: ["hi"] });
    const bad = parsePayload("{a:1}");
    expect("error" in bad && bad.error).toMatch(/^not JSON, nothing sent: .+/);
    expect("error" in bad && bad.error.includes("\n")).toBe(false);
  });

  it("walks kind → room → event → payload and sends the emit once the payload is JSON", () => {
    let at = menuKey(MENU_START, "2", {}, STATE);
    expect(at.menu).toEqual({ stage: "target", kind: "emit-room", cursor: 0 });
    at = type(at.menu!, "jj\r");
    expect(at.menu).toMatchObject({ stage: "event", target: { name: "lobby", nsp: "/" }, text: "" });
    at = type(at.menu!, "news\r");
    expect(at.menu).toMatchObject({ stage: "payload", event: "news" });
    const bad = type(at.menu!, "{oops\r");
    expect(bad.send).toBeUndefined();
    expect(bad.menu).toMatchObject({ stage: "payload", text: "{oops", error: expect.stringMatching(/^not JSON/) });
    const good = type(at.menu!, '{"headline":"hi"}\r');
    expect(good).toEqual({ send: { kind: "emit", server: 0, nsp: "/", to: { room: "lobby" }, event: "news", args: [{ headline: "hi" }] } });
  });

  it("disconnects the socket picked, emits to a socket, and goes back a stage on esc", () => {
    expect(type(MENU_START, "3j\r").send).toEqual({ kind: "disconnect", server: 0, nsp: "/", socket: B });
    expect(type(MENU_START, "\rk\rping\r\r").send).toEqual({ kind: "emit", server: 0, nsp: "/", to: { socket: A }, event: "ping", args: [] });
    const event = type(MENU_START, "1\r").menu!;
    expect(menuKey(event, "", { escape: true }, STATE).menu).toMatchObject({ stage: "target", kind: "emit-socket" });
    expect(menuKey(MENU_START, "", { escape: true }, STATE).menu).toBeUndefined();
    // An empty event name is refused in place.
    expect(type(event, "  \r").menu).toMatchObject({ stage: "event", error: "an event needs a name" });
    // No target in the state: enter does nothing.
    expect(menuKey({ stage: "target", kind: "emit-socket", cursor: 0 }, "", { return: true }, { servers: [] })).toEqual({ menu: { stage: "target", kind: "emit-socket", cursor: 0 } });
  });
});

describe("the reducer's follow", () => {
  it("selects the new step when it appears, from any view", () => {
    const trace = fixtureTrace();
    const state = { ...run(trace, [{ type: "step", delta: -5 }, { type: "state" }]), follow: false };
    expect(state.view).toBe("state");
    const followed = run(trace, [{ type: "follow" }], state);
    expect(followed).toMatchObject({ follow: true, view: "panes" });
    expect(run(trace, [{ type: "sync" }], followed).selected).toBe(trace.steps.length - 1);
    expect(run(trace, [{ type: "sync" }], { ...initialState(trace.steps.length), selected: 0 }).selected).toBe(0);
  });
});

/** A replay of the fixture trace, the last step carrying the live state, that records the actions it is asked for. */
function actingSource(): { source: ReplaySource & { act(action: ServerAction): Promise<string | undefined> }; acts: ServerAction[] } {
  const trace = fixtureTrace();
  const withState: Trace = { ...trace, steps: trace.steps.map((s, i) => (i === trace.steps.length - 1 ? { ...s, state: STATE } : s)) };
  const acts: ServerAction[] = [];
  const source = Object.assign(new ReplaySource(withState, withState.steps.length), {
    async act(action: ServerAction): Promise<string | undefined> {
      acts.push(action);
      return undefined;
    },
  });
  return { source, acts };
}

function fits(frame: string): void {
  expect(lines(frame).length).toBeLessThanOrEqual(24);
  for (const line of lines(frame)) expect([...line].length, line).toBeLessThanOrEqual(80);
}

describe("the action menu at 80×24", () => {
  it("emits to a room: a, 2, the room, the event, a bad payload refused in the pane, then sent", async () => {
    const { source, acts } = actingSource();
    const app = renderApp({ source });
    await app.waitFor("calls");
    await app.press("a");
    let frame = await app.waitFor("1  emit an event to a socket");
    expect(frame).toContain("3  disconnect a socket");
    expect(lines(frame).at(-1)).toMatch(/esc back/);
    fits(frame);
    await app.press("2");
    frame = await app.waitFor("which room?");
    expect(frame).toContain("lobby  / · 2 members");
    fits(frame);
    await app.press(KEYS.down, KEYS.down, KEYS.enter);
    await app.waitFor("event   ▏");
    await app.press("news", KEYS.enter);
    await app.waitFor("payload ▏");
    await app.press("{nope", KEYS.enter);
    frame = await app.waitFor("not JSON");
    fits(frame);
    expect(acts).toEqual([]);
    for (let i = 0; i < 5; i++) await app.press("\u007F");
    await app.press('{"headline":"hi"}');
    frame = await app.waitFor('runs io.to("lobby").emit("news", payload)');
    expect(frame).toContain("action · targets from step 3 message · JSON, empty for none · ⏎ send · esc back");
    await app.press(KEYS.enter);
    await app.waitFor('ran io.to("lobby").emit("news", {"headline":"hi"})');
    expect(acts).toEqual([{ kind: "emit", server: 0, nsp: "/", to: { room: "lobby" }, event: "news", args: [{ headline: "hi" }] }]);
    // The menu closed: the panes are back, with their keys.
    expect(lines(app.frame()).at(-1)).toMatch(/s state a act/);
  });

  it("disconnects a socket picked from the state, and a replay without actions says so", async () => {
    const { source, acts } = actingSource();
    const app = renderApp({ source });
    await app.waitFor("calls");
    await app.press("a", "3");
    await app.waitFor(`  ${B}  / · websocket · rooms: ${B}, lobby`);
    await app.press("j", KEYS.enter);
    await app.waitFor(/ran io\.sockets\.get\("Zz9_x-Yz9qR7tUvWAAAB"\)\.disconnect\(\)/);
    expect(acts).toEqual([{ kind: "disconnect", server: 0, nsp: "/", socket: B }]);
    cleanup();
    const replay = renderApp({});
    await replay.waitFor("calls");
    await replay.press("a");
    await replay.waitFor("actions need a live run");
  });

  it("lists s and a in the 80-column footer, and the help overlay fits 80×24 with every row whole", async () => {
    const app = renderApp({});
    const frame = await app.waitFor("calls");
    expect(lines(frame).at(-1)).toMatch(/\bs state a act\b/);
    await app.press("?");
    const help = await app.waitFor("help · any key closes");
    fits(help);
    expect(help).toContain("q / ctrl-c");
    expect(help).toContain("act on the live server: emit to a socket or room, disconnect");
    expect(help).toContain("source (the selected call) · frames (decoded, linked to their calls).");
  });
});
