import { describe, expect, it } from "vitest";
import { fit, pad, sanitize, wrap } from "../../src/export/text-fit.js";

describe("sanitize", () => {
  it("removes colours and makes control characters visible", () => {
    expect(sanitize("\u001b[31mred\u001b[0m\tx")).toBe("red  x");
    expect(sanitize("a\u001eb")).toBe("a␞b");
    expect(sanitize("one\r\ntwo")).toBe("one↵two");
    expect(sanitize("\u001b]8;;http://x\u0007link\u001b]8;;\u0007")).toBe("link");
  });
});

describe("fit and pad", () => {
  it("cuts with an ellipsis and pads to the width", () => {
    expect(fit("abcdef", 4)).toBe("abc…");
    expect(fit("abc", 4)).toBe("abc");
    expect(fit("abc", 0)).toBe("");
    expect(pad("ab", 4)).toBe("ab  ");
    expect(pad("abcdef", 4)).toBe("abc…");
  });
});

describe("wrap", () => {
  it("wraps words and never returns a line wider than asked", () => {
    const text = "The client starts with HTTP long-polling: GET /socket.io?EIO=4&transport=polling reaches engine.io";
    const out = wrap(text, 20);
    for (const line of out) expect(line.length).toBeLessThanOrEqual(20);
    expect(out.join("").replace(/ /g, "")).toBe(text.replace(/ /g, ""));
  });

  it("breaks words longer than a line and indents continuation lines", () => {
    expect(wrap("x ".concat("a".repeat(10)), 5, "  ")).toEqual(["x aaa", "  aaa", "  aaa", "  a"]);
  });

  it("keeps paragraphs", () => {
    expect(wrap("one\n\ntwo", 10)).toEqual(["one", "", "two"]);
  });
});

describe("wrap in a column narrower than its indent", () => {
  it("drops the indent instead of looping (a too-small terminal gives the panes no width)", () => {
    expect(wrap("abc def", 0, "    ")).toEqual(["a", "b", "c", "d", "e", "f"]);
    expect(wrap("abcdef", 3, "    ")).toEqual(["abc", "def"]);
  });
});
