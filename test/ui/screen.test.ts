import { describe, expect, it } from "vitest";
import { frameSink, Screen } from "../../src/ui/screen.js";

function recorder(): { readonly writes: string[]; readonly screen: Screen } {
  const writes: string[] = [];
  return { writes, screen: new Screen({ write: (data: string) => writes.push(data) }) };
}

/** Row numbers (1-based) a write positioned the cursor on. */
function rowsWritten(data: string): number[] {
  return [...data.matchAll(/\u001B\[(\d+);1H/g)].map((m) => Number(m[1]));
}

describe("Screen", () => {
  it("enters the alternate screen with the cursor hidden, and restores both", () => {
    const { writes, screen } = recorder();
    screen.enter();
    screen.leave();
    expect(writes[0]).toContain("\u001B[?1049h");
    expect(writes[0]).toContain("\u001B[?25l");
    expect(writes[1]).toContain("\u001B[?25h");
    expect(writes[1]).toContain("\u001B[?1049l");
  });

  it("writes every row of the first frame, then only the rows that changed", () => {
    const { writes, screen } = recorder();
    screen.enter();
    expect(screen.paint("header\nrow a\nrow b\nkeys")).toBe(4);
    expect(screen.paint("header\nrow a\nrow B\nkeys")).toBe(1);
    expect(rowsWritten(writes.at(-1)!)).toEqual([3]);
    expect(writes.at(-1)).toContain("row B");
    expect(writes.at(-1)).not.toContain("header");
  });

  it("writes nothing for an identical frame, and wraps each update in a synchronized update", () => {
    const { writes, screen } = recorder();
    screen.enter();
    screen.paint("a\nb");
    const count = writes.length;
    expect(screen.paint("a\nb")).toBe(0);
    expect(writes).toHaveLength(count);
    expect(writes.at(-1)!.startsWith("\u001B[?2026h")).toBe(true);
    expect(writes.at(-1)!.endsWith("\u001B[?2026l")).toBe(true);
  });

  it("blanks rows a shorter frame no longer has", () => {
    const { writes, screen } = recorder();
    screen.enter();
    screen.paint("a\nb\nc");
    screen.paint("a");
    expect(rowsWritten(writes.at(-1)!)).toEqual([2, 3]);
  });

  it("clears and repaints everything after invalidate (a resize)", () => {
    const { writes, screen } = recorder();
    screen.enter();
    screen.paint("a\nb");
    screen.invalidate();
    expect(screen.paint("a\nb")).toBe(2);
    expect(writes.at(-1)).toContain("\u001B[2J");
  });

  it("paints nothing outside enter/leave", () => {
    const { writes, screen } = recorder();
    expect(screen.paint("a")).toBe(0);
    expect(writes).toEqual([]);
  });
});

describe("frameSink", () => {
  it("reports the size it is given and hands each write on as a frame", async () => {
    const frames: string[] = [];
    let width = 80;
    const sink = frameSink(() => ({ width, height: 24 }), (f) => frames.push(f));
    expect([sink.columns, sink.rows]).toEqual([80, 24]);
    width = 100;
    expect(sink.columns).toBe(100);
    await new Promise<void>((resolve) => sink.write("frame", resolve));
    expect(frames).toEqual(["frame"]);
  });
});
