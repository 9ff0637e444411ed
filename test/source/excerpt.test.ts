import { describe, expect, it } from "vitest";
import { localLink, makeExcerpt, splitLines } from "../../src/source/excerpt.js";

const lines = splitLines(Array.from({ length: 100 }, (_, i) => `line ${i + 1}`).join("\r\n"));

describe("excerpts", () => {
  it("numbers the lines of a short function", () => {
    expect(makeExcerpt(lines, 10, 12, 40)).toEqual({
      declarationLine: 10,
      lines: [
        { number: 10, text: "line 10" },
        { number: 11, text: "line 11" },
        { number: 12, text: "line 12" },
      ],
      omitted: 0,
    });
  });

  it("keeps the head and the closing line of a long one, and counts the rest", () => {
    const excerpt = makeExcerpt(lines, 10, 60, 5);
    expect(excerpt.lines.map((l) => l.number)).toEqual([10, 11, 12, 13, 60]);
    expect(excerpt.omitted).toBe(46);
  });

  it("stays inside the file", () => {
    expect(makeExcerpt(lines, 99, 140, 40).lines.map((l) => l.number)).toEqual([99, 100]);
  });

  it("prints local links as path:line", () => {
    expect(localLink("node_modules/engine.io/build/server.js", 661, 709).text).toBe("node_modules/engine.io/build/server.js:661");
  });
});
