import { describe, expect, it } from "vitest";
import { effectiveStep, initialState, stepView, update } from "../../src/ui/state.js";
import { keepInView } from "../../src/ui/viewport.js";
import { fixtureTrace } from "../helpers/trace-fixture.js";
import { envFor, ROWS, run } from "./state-env.js";

const trace = fixtureTrace();

describe("keepInView", () => {
  it("scrolls as little as possible to show the cursor", () => {
    expect(keepInView(0, 0, 3, 10)).toBe(0);
    expect(keepInView(3, 0, 3, 10)).toBe(1);
    expect(keepInView(9, 0, 3, 10)).toBe(7);
    expect(keepInView(2, 5, 3, 10)).toBe(2);
  });

  it("never scrolls past the end, even after the list or the pane changed size", () => {
    expect(keepInView(4, 8, 3, 5)).toBe(2);
    expect(keepInView(0, 4, 10, 5)).toBe(0);
  });
});

describe("step selection", () => {
  it("starts on the first recorded step, or on none", () => {
    expect(initialState(3).selected).toBe(0);
    expect(initialState(0).selected).toBe(-1);
  });

  it("moves between recorded steps and stops at both ends", () => {
    expect(run(trace, [{ type: "step", delta: 1 }]).selected).toBe(1);
    expect(run(trace, [{ type: "step", delta: 1 }, { type: "step", delta: 1 }, { type: "step", delta: 1 }]).selected).toBe(2);
    expect(run(trace, [{ type: "step", delta: -1 }]).selected).toBe(0);
  });

  it("follows a newly recorded step only when the user asked for it", () => {
    const start = initialState(0);
    const asked = update(start, { type: "next" }, envFor(trace, start, {}, 0));
    expect(asked).toMatchObject({ follow: true, requests: 1 });
    const followed = update(asked, { type: "sync" }, envFor(trace, start, {}, 1));
    expect(followed.selected).toBe(0);
    const later = update(followed, { type: "sync" }, envFor(trace, followed, {}, 2));
    expect(later.selected).toBe(1);
    const stepped = update(later, { type: "step", delta: -1 }, envFor(trace, later, {}, 2));
    expect(update(stepped, { type: "sync" }, envFor(trace, stepped, {}, 3)).selected).toBe(0);
  });

  it("keeps each step's cursors when coming back to it", () => {
    const state = run(trace, [{ type: "step", delta: 1 }, { type: "move", delta: 2 }, { type: "step", delta: 1 }, { type: "step", delta: -1 }]);
    expect(state.selected).toBe(1);
    expect(stepView(state, 1).callCursor).toBe(2);
  });

  it("moves the step selection with the cursor keys while the steps pane has the focus", () => {
    const state = run(trace, [{ type: "focus", delta: -1 }, { type: "focus", delta: -1 }, { type: "move", delta: 1 }]);
    expect(state.focus).toBe("steps");
    expect(state.selected).toBe(1);
  });
});

describe("calls pane", () => {
  const big = fixtureTrace({ extraCalls: 20 });

  it("moves the cursor and scrolls to keep it visible", () => {
    const state = run(big, [{ type: "move", delta: 5 }]);
    expect(stepView(state, 0)).toMatchObject({ callCursor: 5, callScroll: 3 });
    const back = run(big, [{ type: "move", delta: -4 }], state);
    expect(stepView(back, 0)).toMatchObject({ callCursor: 1, callScroll: 1 });
  });

  it("pages and jumps to both ends", () => {
    expect(stepView(run(big, [{ type: "page", dir: 1 }]), 0).callCursor).toBe(2);
    const end = run(big, [{ type: "move", delta: Infinity }]);
    expect(stepView(end, 0)).toMatchObject({ callCursor: 23, callScroll: 21 });
    expect(stepView(run(big, [{ type: "move", delta: -Infinity }], end), 0)).toMatchObject({ callCursor: 0, callScroll: 0 });
  });

  it("collapses and expands the call under the cursor with enter", () => {
    const collapsed = run(trace, [{ type: "toggle" }]);
    expect([...collapsed.collapsed]).toEqual([1]);
    expect(envFor(trace, collapsed).visible).toHaveLength(1);
    expect([...run(trace, [{ type: "toggle" }], collapsed).collapsed]).toEqual([]);
  });

  it("does nothing on enter over a leaf", () => {
    const state = run(trace, [{ type: "move", delta: 2 }]);
    expect(run(trace, [{ type: "toggle" }], state).collapsed).toBe(state.collapsed);
  });

  it("resets the source scroll when the cursor moves to another call", () => {
    const scrolled = run(trace, [{ type: "focus", delta: 1 }, { type: "move", delta: 3 }]);
    expect(scrolled.sourceScroll).toBe(3);
    expect(run(trace, [{ type: "focus", delta: -1 }, { type: "move", delta: 1 }], scrolled).sourceScroll).toBe(0);
  });
});

describe("source pane", () => {
  it("scrolls within its lines", () => {
    const state = run(trace, [{ type: "focus", delta: 1 }, { type: "move", delta: 100 }]);
    expect(state.focus).toBe("source");
    expect(state.sourceScroll).toBe(7);
  });
});

describe("frames pane and the frame ↔ call jump", () => {
  const toFrames: Action[] = [{ type: "step", delta: 1 }, { type: "step", delta: 1 }, { type: "focus", delta: 1 }, { type: "focus", delta: 1 }];

  it("moves between the frames of the step", () => {
    const state = run(trace, [...toFrames, { type: "move", delta: 1 }]);
    expect(state.focus).toBe("frames");
    expect(stepView(state, 2).frameCursor).toBe(1);
    expect(stepView(run(trace, [{ type: "move", delta: 5 }], state), 2).frameCursor).toBe(1);
  });

  it("jumps from a frame to the call that produced it, expanding its ancestors", () => {
    const collapsed = run(trace, [{ type: "step", delta: 1 }, { type: "step", delta: 1 }, { type: "toggle" }, { type: "focus", delta: 1 }, { type: "focus", delta: 1 }, { type: "move", delta: 1 }]);
    expect(collapsed.collapsed.has(31)).toBe(true);
    const jumped = run(trace, [{ type: "jump" }], collapsed);
    expect(jumped.focus).toBe("calls");
    expect(jumped.collapsed.has(31)).toBe(false);
    const env = envFor(trace, jumped);
    expect(env.visible[stepView(jumped, 2).callCursor].node.seq).toBe(34);
    expect(jumped.jumpBack).toEqual({ step: 2, frame: 1, call: 34 });
  });

  it("jumps back to the frame it came from", () => {
    const jumped = run(trace, [...toFrames, { type: "move", delta: 1 }, { type: "toggle" }]);
    expect(jumped.focus).toBe("calls");
    const back = run(trace, [{ type: "jump" }], jumped);
    expect(back.focus).toBe("frames");
    expect(stepView(back, 2).frameCursor).toBe(1);
  });

  it("jumps from a call to the first frame read or written under it", () => {
    const state = run(trace, [{ type: "step", delta: 1 }, { type: "step", delta: 1 }, { type: "jump" }]);
    expect(state.focus).toBe("frames");
    expect(stepView(state, 2).frameCursor).toBe(0);
  });

  it("says why when there is nothing to jump to", () => {
    const state = run(trace, [{ type: "move", delta: 1 }, { type: "jump" }]);
    expect(state.focus).toBe("calls");
    expect(state.message).toMatch(/no frame/);
    expect(run(trace, [{ type: "focus", delta: -1 }, { type: "jump" }]).message).toMatch(/focus the calls or frames/);
  });
});

describe("overlays, log and resize", () => {
  it("toggles help, log and zoom, and escape closes them one at a time", () => {
    const all = run(trace, [{ type: "zoom" }, { type: "log" }, { type: "help" }]);
    expect(all).toMatchObject({ zoom: true, view: "log", help: true });
    const once = run(trace, [{ type: "escape" }], all);
    expect(once).toMatchObject({ help: false, view: "log", zoom: true });
    expect(run(trace, [{ type: "escape" }, { type: "escape" }], once)).toMatchObject({ view: "panes", zoom: false });
  });

  it("follows the end of the log until scrolled up, and again at the bottom", () => {
    const logs = Array.from({ length: 10 }, (_, i) => ({ time: i, source: "stdout" as const, text: `line ${i}` }));
    const withLogs = fixtureTrace({ logs });
    const up = run(withLogs, [{ type: "log" }, { type: "move", delta: -3 }]);
    expect(up).toMatchObject({ logFollow: false, logScroll: 5 });
    expect(run(withLogs, [{ type: "move", delta: 3 }], up)).toMatchObject({ logFollow: true, logScroll: 8 });
    expect(run(withLogs, [{ type: "focus", delta: 1 }], up).focus).toBe(up.focus);
  });

  it("keeps cursors visible when the panes shrink", () => {
    const big = fixtureTrace({ extraCalls: 20 });
    const tall = run(big, [{ type: "move", delta: 10 }], initialState(3), { calls: 20 });
    expect(stepView(tall, 0).callScroll).toBe(0);
    const short = run(big, [{ type: "resize" }], tall, { calls: 4 });
    expect(stepView(short, 0)).toMatchObject({ callCursor: 10, callScroll: 7 });
  });

  it("keeps a message until the step changes", () => {
    const state = run(trace, [{ type: "message", text: "exported → /tmp/x.md" }, { type: "move", delta: 1 }]);
    expect(state.message).toBe("exported → /tmp/x.md");
    expect(run(trace, [{ type: "step", delta: 1 }], state).message).toBeUndefined();
  });
});

describe("jump landing", () => {
  it("puts the call it jumps to in the middle of the calls pane", () => {
    const deep = fixtureTrace({ extraCalls: 0 });
    const state = run(deep, [{ type: "step", delta: 1 }, { type: "step", delta: 1 }, { type: "focus", delta: 1 }, { type: "focus", delta: 1 }, { type: "move", delta: 1 }, { type: "jump" }], initialState(3), { calls: 2 });
    const view = stepView(state, 2);
    expect(view.callCursor).toBe(2);
    expect(view.callScroll).toBe(1);
  });
});

describe("effectiveStep", () => {
  it("counts a follow not synced yet, so a fast second key acts on the new step", () => {
    const following = { ...initialState(1), follow: true };
    expect(effectiveStep(following, { revealed: 2 })).toBe(1);
    expect(effectiveStep(initialState(2), { revealed: 2 })).toBe(0);
    expect(update(following, { type: "step", delta: -1 }, envFor(trace, following, {}, 2)).selected).toBe(0);
  });
});

describe("next", () => {
  it("moves to the next recorded step, else asks for a new one, else says it was the last", () => {
    const start = initialState(2);
    const moved = update(start, { type: "next" }, envFor(trace, start, {}, 2));
    expect(moved).toMatchObject({ selected: 1, requests: 0 });
    const asked = update(moved, { type: "next" }, envFor(trace, moved, {}, 2));
    expect(asked).toMatchObject({ selected: 1, requests: 1, follow: true });
    const last = update(initialState(3), { type: "next" }, { ...envFor(trace, initialState(3)), revealed: 1, canStep: false, lastStepMessage: "that was the last recorded step" });
    expect(last.message).toBe("that was the last recorded step");
  });

  it("counts every press of a batch, even before the source has caught up", () => {
    const start = initialState(1);
    const env = envFor(trace, start, {}, 1);
    const after = ["next", "next", "next"].reduce((s) => update(s, { type: "next" }, env), start);
    expect(after.requests).toBe(3);
  });
});

describe("the compare pane", () => {
  /** The env of a stepper given a second trace whose compare pane has `lines` lines. */
  const comparing = (state: UiState, lines = 10): Env => ({ ...envFor(trace, state), canCompare: true, compareLines: lines });
  const apply = (actions: readonly Action[], state = initialState(3, true), lines = 10): UiState =>
    actions.reduce((s, action) => update(s, action, comparing(s, lines)), state);

  it("opens focused when the stepper starts with a second trace, and not otherwise", () => {
    expect(initialState(3, true)).toMatchObject({ compare: true, focus: "compare", compareScroll: 0 });
    expect(initialState(3)).toMatchObject({ compare: false, focus: "calls" });
  });

  it("says there is nothing to compare without a second trace", () => {
    const state = run(trace, [{ type: "compare" }]);
    expect(state.compare).toBe(false);
    expect(state.message).toMatch(/--compare/);
  });

  it("toggles with c: closing hands the focus back to the calls pane, opening takes it", () => {
    const closed = apply([{ type: "compare" }]);
    expect(closed).toMatchObject({ compare: false, focus: "calls" });
    const fromFrames = apply([{ type: "focus", delta: 1 }, { type: "focus", delta: 1 }, { type: "compare" }], closed);
    expect(fromFrames).toMatchObject({ compare: true, focus: "compare" });
    const fromLog = apply([{ type: "log" }, { type: "compare" }], closed);
    expect(fromLog).toMatchObject({ compare: true, view: "panes" });
  });

  it("takes the place of source and frames in the tab order", () => {
    const tab: Action = { type: "focus", delta: 1 };
    expect([1, 2, 3].map((presses) => apply(Array.from({ length: presses }, () => tab)).focus)).toEqual(["steps", "calls", "compare"]);
    expect(apply([{ type: "focus", delta: -1 }]).focus).toBe("calls");
  });

  it("scrolls with ↑/↓ and pages within its lines, and starts at the top of each step", () => {
    expect(apply([{ type: "move", delta: 3 }]).compareScroll).toBe(3);
    expect(apply([{ type: "move", delta: 99 }]).compareScroll).toBe(6);
    expect(apply([{ type: "move", delta: -99 }]).compareScroll).toBe(0);
    expect(apply([{ type: "page", dir: 1 }]).compareScroll).toBe(3);
    expect(apply([{ type: "move", delta: 2 }], initialState(3, true), 3).compareScroll).toBe(0);
    const scrolled = apply([{ type: "move", delta: 4 }]);
    expect(apply([{ type: "next" }], scrolled)).toMatchObject({ selected: 1, compareScroll: 0 });
    expect(apply([{ type: "toggle" }], scrolled)).toEqual(scrolled);
  });

  it("keeps its scroll within the lines after a resize", () => {
    const scrolled = apply([{ type: "move", delta: 6 }]);
    const resized = update(scrolled, { type: "resize" }, { ...comparing(scrolled), rows: { ...ROWS, compare: 8 } });
    expect(resized.compareScroll).toBe(2);
  });
});
