import { describe, expect, it } from "vitest";
import { boundedJson } from "../../src/wire/bounded-json.js";

describe("boundedJson", () => {
  it("matches JSON.stringify on small values", () => {
    const value = { a: [1, -2.5, true, null, "x\"y\n"], b: {}, c: [], "k\u2028": "é😀" };
    expect(boundedJson(value)).toBe(JSON.stringify(value));
  });

  it("survives 50,000 levels of nesting", () => {
    let deep: unknown = [];
    for (let i = 0; i < 50_000; i++) deep = [deep];
    expect(() => JSON.stringify(deep)).toThrow(RangeError);
    expect(boundedJson(deep)).toBe(`${"[".repeat(12)}[… 1 more]${"]".repeat(12)}`);
  });

  it("cuts a 1 MB string", () => {
    expect(boundedJson("y".repeat(1_000_000))).toBe(`"${"y".repeat(200)}… 999800 more"`);
  });

  it("does not split a surrogate pair when cutting", () => {
    const text = `${"a".repeat(199)}😀tail`;
    expect(boundedJson(text)).toBe(`"${"a".repeat(199)}… 6 more"`);
  });

  it("cuts wide arrays and objects", () => {
    expect(boundedJson(Array.from({ length: 60 }, (_, i) => i))).toBe(`[${Array.from({ length: 50 }, (_, i) => i).join(",")},… 10 more]`);
    const wide = Object.fromEntries(Array.from({ length: 55 }, (_, i) => [`k${i}`, i]));
    expect(boundedJson(wide)).toMatch(/,"k49":49,… 5 more\}$/);
  });

  it("stops at the overall budget", () => {
    const value = Array.from({ length: 40 }, () => "z".repeat(150));
    const text = boundedJson(value);
    expect(text.length).toBeLessThan(2500);
    expect(text).toMatch(/,… \d+ more\]$/);
  });

  it("shows binary and non-JSON values without throwing", () => {
    expect(boundedJson([new Uint8Array(3), undefined, () => 1, Number.NaN, 10n])).toBe('["<binary 3 bytes>",null,null,null,10]');
    const withGetter = Object.defineProperty({}, "boom", { enumerable: true, get: () => { throw new Error("no"); } });
    expect(boundedJson(withGetter)).toBe('{"boom":null}');
  });
});
