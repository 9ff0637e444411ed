import { describe, expect, it } from "vitest";
import { NO_FILTER } from "../../src/ui/frame-filter.js";
import { initialState, stepView, update } from "../../src/ui/state.js";
import { fixtureTrace } from "../helpers/trace-fixture.js";
import { envFor, run } from "./state-env.js";

const trace = fixtureTrace();

describe("the story pane", () => {
  it("scrolls with J/K from any pane, within the narration, and starts at the top on every step", () => {
    const scrolled = run(trace, [{ type: "story", delta: 1 }, { type: "story", delta: 1 }]);
    expect(scrolled).toMatchObject({ storyScroll: 2, focus: "calls" });
    // 10 lines in 4 rows: 6 is as far as it goes.
    expect(run(trace, [{ type: "story", delta: 99 }]).storyScroll).toBe(6);
    expect(run(trace, [{ type: "story", delta: -1 }], scrolled).storyScroll).toBe(1);
    expect(run(trace, [{ type: "next" }], scrolled).storyScroll).toBe(0);
  });

  it("takes the focus with tab, and ↑/↓ then scroll it", () => {
    const focused = run(trace, [{ type: "focus", delta: -1 }]);
    expect(focused.focus).toBe("story");
    expect(run(trace, [{ type: "move", delta: 3 }], focused).storyScroll).toBe(3);
  });
});

describe("the pane under the story on a small terminal", () => {
  it("follows the focus to frames and back to source, and stays while steps or story have it", () => {
    const frames = run(trace, [{ type: "focus", delta: 1 }, { type: "focus", delta: 1 }]);
    expect(frames).toMatchObject({ focus: "frames", lower: "frames" });
    const steps = run(trace, [{ type: "focus", delta: 1 }, { type: "focus", delta: 1 }], frames);
    expect(steps).toMatchObject({ focus: "story", lower: "frames" });
    expect(run(trace, [{ type: "focus", delta: 1 }], steps)).toMatchObject({ focus: "calls", lower: "source" });
  });
});

describe("lanes", () => {
  it("toggles the background lane with b, each lane keeping cursors of its own", () => {
    const moved = run(trace, [{ type: "move", delta: 2 }]);
    const background = run(trace, [{ type: "lane" }], moved);
    expect(background.lane).toBe("background");
    expect(stepView(background, 0).callCursor).toBe(0);
    expect(background.message).toMatch(/background lane/);
    const back = run(trace, [{ type: "lane" }], background);
    expect(stepView(back, 0).callCursor).toBe(2);
  });
});

describe("the frame filter", () => {
  it("cycles each part with its key and leaves the others", () => {
    let state = run(trace, [{ type: "filter", what: "heartbeats" }]);
    expect(state.filter).toEqual({ ...NO_FILTER, hideHeartbeats: true });
    state = run(trace, [{ type: "filter", what: "dir" }, { type: "filter", what: "conn" }, { type: "filter", what: "kind" }], state);
    expect(state.filter).toEqual({ hideHeartbeats: true, dir: "in", conn: 1, kind: "socket.io", text: "" });
    state = run(trace, [{ type: "filter", what: "conn" }, { type: "filter", what: "conn" }], state);
    expect(state.filter.conn).toBeUndefined();
  });
});

describe("the / search", () => {
  it("in the frames pane filters the frames by the text typed", () => {
    const frames = run(trace, [{ type: "next" }, { type: "next" }, { type: "focus", delta: 1 }, { type: "focus", delta: 1 }]);
    const typed = run(trace, [{ type: "prompt", text: "" }, { type: "prompt", text: "c" }, { type: "prompt", text: "ch" }], frames);
    expect(typed.prompt).toEqual({ text: "ch" });
    const done = run(trace, [{ type: "submit" }], typed);
    expect(done.prompt).toBeUndefined();
    expect(done.filter.text).toBe("ch");
  });

  it("elsewhere finds the next call by name, unfolding what hides it, and repeats on an empty search", () => {
    const folded = run(trace, [{ type: "toggle" }]);
    expect(envFor(trace, folded).visible).toHaveLength(1);
    const found = run(trace, [{ type: "prompt", text: "namespace" }, { type: "submit" }], folded);
    const env = envFor(trace, found);
    expect(env.visible[stepView(found, 0).callCursor].node.seq).toBe(3);
    expect(found.message).toMatch(/call 1\/1 matching "namespace"/);
    const again = run(trace, [{ type: "prompt", text: "" }, { type: "submit" }], found);
    expect(again.message).toMatch(/call 1\/1/);
    // From the cursor on: the first search skips the call under it, the next ones go on, then wrap.
    const first = run(trace, [{ type: "prompt", text: "server." }, { type: "submit" }]);
    expect(first.message).toMatch(/call 2\/3 matching "server\."/);
    const second = run(trace, [{ type: "prompt", text: "" }, { type: "submit" }], first);
    expect(second.message).toMatch(/call 3\/3/);
    expect(run(trace, [{ type: "prompt", text: "" }, { type: "submit" }], second).message).toMatch(/call 1\/3/);
  });

  it("says when nothing matches, and esc closes the prompt without searching", () => {
    expect(run(trace, [{ type: "prompt", text: "nothing-like-this" }, { type: "submit" }]).message).toBe('no call matches "nothing-like-this"');
    const closed = update(run(trace, [{ type: "prompt", text: "x" }]), { type: "escape" }, envFor(trace, initialState(3)));
    expect(closed.prompt).toBeUndefined();
    expect(closed.message).toBeUndefined();
  });
});
