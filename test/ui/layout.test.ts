import { describe, expect, it } from "vitest";
import { computeLayout, MIN_SIZE } from "../../src/ui/layout.js";

function columnsFill(layout: ReturnType<typeof computeLayout>): void {
  // Left column: two title rows; right column: two titles and the decode separator.
  expect(layout.steps + layout.calls + 2).toBe(layout.body);
  expect(layout.source + layout.framesList + layout.framesDetail + 3).toBe(layout.body);
  expect(layout.left + 1 + layout.right).toBe(layout.width);
}

describe("computeLayout", () => {
  it("fits every pane in 80×24 with room for each", () => {
    const layout = computeLayout(80, 24, 8);
    expect(layout.tooSmall).toBe(false);
    expect(layout.body).toBe(22);
    expect(layout.steps).toBe(8);
    columnsFill(layout);
    expect(layout.calls).toBeGreaterThanOrEqual(10);
    expect(layout.source).toBeGreaterThanOrEqual(7);
    expect(layout.framesList).toBeGreaterThanOrEqual(3);
    expect(layout.framesDetail).toBeGreaterThanOrEqual(5);
  });

  it("shows every step once the terminal is tall enough, and scrolls them below that", () => {
    expect(computeLayout(80, 24, 8).steps).toBe(8);
    expect(computeLayout(80, 20, 8).steps).toBeLessThan(8);
  });

  it("adds up at every size from the minimum to 200×60", () => {
    for (let width = MIN_SIZE.width; width <= 200; width += 7) {
      for (let height = MIN_SIZE.height; height <= 60; height += 2) {
        const layout = computeLayout(width, height, 8);
        columnsFill(layout);
        for (const rows of [layout.steps, layout.calls, layout.source, layout.framesList, layout.framesDetail]) expect(rows).toBeGreaterThanOrEqual(1);
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
    expect(computeLayout(80, 24, 8, "compare")).toMatchObject({ zoomed: "compare", left: 80, compare: 21, calls: 0 });
  });

  it("gives the compare pane the whole right column, in place of source and frames", () => {
    const layout = computeLayout(80, 24, 8, undefined, true);
    expect(layout.compare + 1).toBe(layout.body);
    expect(layout.right).toBe(55);
    expect(computeLayout(200, 50, 8, undefined, true).left).toBe(60);
  });
});
