import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { findJsonSyntaxError } from "../../src/trace/json-syntax.js";

function parses(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

describe("findJsonSyntaxError", () => {
  it("agrees with JSON.parse on valid JSON (property)", () => {
    fc.assert(
      fc.property(fc.json(), (text) => {
        expect(findJsonSyntaxError(text)).toBeUndefined();
      }),
      { numRuns: 300 },
    );
  });

  it("finds an error wherever JSON.parse does, for damaged JSON (property)", () => {
    fc.assert(
      fc.property(fc.json(), fc.nat(), fc.constantFrom("", "}", "]", ",", ":", "x", '"', "\\", "\u0001", " "), (text, at, insert) => {
        const cut = at % (text.length + 1);
        const damaged = text.slice(0, cut) + insert + text.slice(cut + (insert ? 0 : 1));
        expect(findJsonSyntaxError(damaged) === undefined).toBe(parses(damaged));
      }),
      { numRuns: 500 },
    );
  });

  it("tells a cut file from a bad character", () => {
    expect(findJsonSyntaxError('{"a":[1,2')).toEqual({ index: 9, truncated: true, problem: "unexpected end of input" });
    expect(findJsonSyntaxError('{"a":tr')).toEqual({ index: 7, truncated: true, problem: "unexpected end of input" });
    expect(findJsonSyntaxError('{"a":"\\u12')).toMatchObject({ truncated: true });
    expect(findJsonSyntaxError('{"a":1}x')).toEqual({ index: 7, truncated: false, problem: "unexpected 'x'" });
    expect(findJsonSyntaxError('{"a":"\u0001"}')).toEqual({ index: 6, truncated: false, problem: "control character in string" });
  });

  it("needs no stack for deep nesting", () => {
    expect(findJsonSyntaxError(`${"[".repeat(200_000)}${"]".repeat(200_000)}`)).toBeUndefined();
    expect(findJsonSyntaxError("[".repeat(200_000))).toMatchObject({ truncated: true, index: 200_000 });
  });
});
