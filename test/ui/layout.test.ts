import { describe, expect, it } from "vitest";
import { computeLayout, MIN_SIZE } from "../../src/ui/layout.js";

function columnsFill(layout: ReturnType<typeof computeLayout>): void {
  // Left column: two title rows; right column: the story's title, then source's and/or frames' (with the decode separator).
  expect(layout.steps + layout.calls + 2).toBe(layout.body);
  const source = layout.source ? layout.source + 1 : 0;
  const frames = layout.framesList ? layout.framesList + layout.framesDetail + 2 : 0;
  expect(layout.story + 1 + source + frames).toBe(layout.body);
  expect(layout.left + 1 + layout.right).toBe(layout.width);
}

describe("computeLayout", () => {
  it("at 80×24 (small) keeps the story on screen over source or frames, whichever the focus chose", () => {
    const layout = computeLayout(80, 24, 8);
    expect(layout).toMatchObject({ tooSmall: false, small: true, body: 22, steps: 8, left: 28, right: 51 });
    columnsFill(layout);
    expect(layout.story).toBeGreaterThanOrEqual(8);
    expect(layout.calls).toBeGreaterThanOrEqual(10);
    expect(layout.source).toBeGreaterThanOrEqual(10);
    expect(layout.framesList).toBe(0);
    const frames = computeLayout(80, 24, 8, undefined, false, "frames");
    columnsFill(frames);
    expect(frames).toMatchObject({ source: 0, story: layout.story });
    expect(frames.framesList).toBeGreaterThanOrEqual(3);
    expect(frames.framesDetail).toBeGreaterThanOrEqual(5);
  });

  it("at 120×40 shows story, source and frames together", () => {
    const layout = computeLayout(120, 40, 8);
    expect(layout.small).toBe(false);
    columnsFill(layout);
    expect(layout.story).toBeGreaterThanOrEqual(10);
    expect(layout.source).toBeGreaterThanOrEqual(8);
    expect(layout.framesList).toBeGreaterThanOrEqual(4);
  });

  it("shows every step once the terminal is tall enough, and scrolls them below that", () => {
    expect(computeLayout(80, 24, 8).steps).toBe(8);
    expect(computeLayout(80, 20, 8).steps).toBeLessThan(8);
  });

  it("adds up at every size from the minimum to 200×60", () => {
    for (let width = MIN_SIZE.width; width <= 200; width += 7) {
      for (let height = MIN_SIZE.height; height <= 60; height += 2) {
        for (const lower of ["source", "frames"] as const) {
          const layout = computeLayout(width, height, 8, undefined, false, lower);
          columnsFill(layout);
          const shown = layout.small ? (lower === "source" ? [layout.source] : [layout.framesList, layout.framesDetail]) : [layout.source, layout.framesList, layout.framesDetail];
          for (const rows of [layout.steps, layout.story, layout.calls, ...shown]) expect(rows).toBeGreaterThanOrEqual(1);
        }
      }
    }
  });

  it("says when the terminal is too small", () => {
    expect(computeLayout(MIN_SIZE.width - 1, 24, 8).tooSmall).toBe(true);
    expect(computeLayout(80, MIN_SIZE.height - 1, 8).tooSmall).toBe(true);
  });

  it("gives a zoomed pane the whole body", () => {
    const calls = computeLayout(80, 24, 8, "calls");
    expect(calls).toMatchObject({ zoomed: "calls", left: 80, right: 0, calls: 21, steps: 0, source: 0 });
    const frames = computeLayout(80, 24, 8, "frames");
    expect(frames.framesList + frames.framesDetail + 2).toBe(frames.body);
    expect(computeLayout(80, 24, 8, "story")).toMatchObject({ zoomed: "story", left: 80, story: 21, calls: 0 });
    expect(computeLayout(80, 24, 8, "compare")).toMatchObject({ zoomed: "compare", left: 80, compare: 21, calls: 0 });
  });

  it("gives the compare pane the whole right column, in place of source and frames", () => {
    const layout = computeLayout(80, 24, 8, undefined, true);
    expect(layout.compare + 1).toBe(layout.body);
    expect(layout.right).toBe(55);
    expect(computeLayout(200, 50, 8, undefined, true).left).toBe(60);
  });
});
