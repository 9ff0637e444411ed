import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { cutPoint, cutProse, leadSentence } from "../../src/export/text-cut.js";

// engine.io's doc comment of `allowRequest`, cut mid-word by the old headless text (`a functi… 181 more`).
const ALLOW_REQUEST =
  "A function that receives a given handshake or upgrade request as its first parameter, and can decide whether to continue or not. " +
  "The second argument is a function that needs to be called with the decided information: fn(err, success), where success is a boolean value where false means that the request is rejected, and err is an error code.";

describe("cutProse", () => {
  it("leaves text that fits as it is", () => {
    expect(cutProse("Attaches socket.io to a server or port.", 160)).toBe("Attaches socket.io to a server or port.");
    expect(cutProse("", 10)).toBe("");
  });

  it("cuts at the end of a sentence when one ends late enough", () => {
    const cut = cutProse(ALLOW_REQUEST, 160);
    expect(cut).toBe(`${ALLOW_REQUEST.slice(0, ALLOW_REQUEST.indexOf(" The second"))} … ${ALLOW_REQUEST.length - ALLOW_REQUEST.indexOf("The second")} more`);
    expect(cut).not.toContain("functi…");
  });

  it("cuts at the end of a word otherwise, dropping punctuation left dangling", () => {
    expect(cutProse("The second argument is a function that needs to be called.", 30)).toBe("The second argument is a … 33 more");
    expect(cutProse("origins, methods, headers, credentials and more", 27)).toBe("origins, methods, headers … 22 more");
  });

  it("cuts inside a word only when there is no space to cut at, never between surrogate halves", () => {
    expect(cutProse("x".repeat(50), 10)).toBe(`${"x".repeat(10)}… 40 more`);
    expect(cutProse(`${"a".repeat(9)}😀tail`, 10)).toBe(`${"a".repeat(9)}… 6 more`);
    expect(cutPoint(`${"a".repeat(9)}😀tail`, 10)).toEqual({ at: 9, whole: false });
  });

  it("keeps at most max characters before the mark, and counts exactly what it left out (property)", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), fc.integer({ min: 1, max: 200 }), (text, max) => {
        const cut = cutProse(text, max);
        if (text.length <= max) {
          expect(cut).toBe(text);
          return;
        }
        const { at } = cutPoint(text, max);
        expect(at).toBeLessThanOrEqual(max);
        expect(text.startsWith(cut.slice(0, at))).toBe(true);
        const left = text.slice(at).replace(/^\s+/u, "").length;
        expect(cut.slice(at)).toMatch(left ? new RegExp(`^ ?… ${left} more$`) : /^$/);
      }),
      { numRuns: 300 },
    );
  });
});

describe("leadSentence", () => {
  it("takes the first sentence, not stopping at dots inside names", () => {
    expect(leadSentence("Constructing the Server with an http.Server attaches at once. The constructor sets path.")).toBe("Constructing the Server with an http.Server attaches at once.");
    expect(leadSentence("No sentence end here")).toBe("No sentence end here");
  });

  it("cuts a first sentence longer than max at a word, marked with …", () => {
    const lead = leadSentence(`No user code: every pingInterval ${"timer fires again and ".repeat(10)}done. Next.`, 60);
    expect(lead.length).toBeLessThanOrEqual(60);
    expect(lead).toMatch(/^No user code: every pingInterval (?:timer|fires|again|and| )+ …$/);
  });
});
