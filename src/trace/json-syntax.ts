/**
 * Where a text stops being JSON. `JSON.parse` does not always say (and says it
 * in characters, not bytes), so on failure this scanner finds the first bad
 * character itself. Iterative: nesting depth costs no stack. Pure.
 */

/** The first syntax error of a text that is not JSON. */
export interface JsonSyntaxError {
  /** Character index of the problem; `text.length` when the input ended early. */
  readonly index: number;
  /** True when the text ended in the middle of a value (a cut file). */
  readonly truncated: boolean;
  /** `unexpected 'x'`, `unexpected end of input`, `bad escape in string`. */
  readonly problem: string;
}

type Expect = "value" | "key" | "colon" | "comma-or-end";

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const LITERAL = /true|false|null/y;

function describeChar(text: string, at: number): string {
  const c = text.codePointAt(at) ?? 0;
  const shown = c < 0x20 || c === 0x7f ? `\\x${c.toString(16).padStart(2, "0")}` : String.fromCodePoint(c);
  return `unexpected '${shown}'`;
}

/** Scans a string literal starting at the opening quote; returns the index after it, or an error. */
function scanString(text: string, start: number): number | JsonSyntaxError {
  let i = start + 1;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c === 0x22) return i + 1;
    if (c < 0x20) return { index: i, truncated: false, problem: "control character in string" };
    if (c === 0x5c) {
      const e = text[i + 1];
      if (e === undefined) break;
      if (e === "u") {
        if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) {
          return i + 6 > text.length ? { index: text.length, truncated: true, problem: "unexpected end of input" } : { index: i, truncated: false, problem: "bad \\u escape in string" };
        }
        i += 6;
        continue;
      }
      if (!"\"\\/bfnrt".includes(e)) return { index: i, truncated: false, problem: "bad escape in string" };
      i += 2;
      continue;
    }
    i++;
  }
  return { index: text.length, truncated: true, problem: "unexpected end of input" };
}

/** The first syntax error of `text`, or undefined when it is one valid JSON value. */
export function findJsonSyntaxError(text: string): JsonSyntaxError | undefined {
  const stack: ("{" | "[")[] = [];
  let expect: Expect = "value";
  let done = false;
  let i = 0;
  const end = (): JsonSyntaxError => ({ index: text.length, truncated: true, problem: "unexpected end of input" });
  const bad = (at: number): JsonSyntaxError => ({ index: at, truncated: false, problem: describeChar(text, at) });
  const afterValue = (): void => {
    if (stack.length === 0) done = true;
    else expect = "comma-or-end";
  };
  while (true) {
    while (i < text.length && (text[i] === " " || text[i] === "\n" || text[i] === "\r" || text[i] === "\t")) i++;
    if (i >= text.length) return done ? undefined : end();
    if (done) return bad(i);
    const c = text[i];
    if (expect === "value") {
      if (c === "{" || c === "[") {
        stack.push(c);
        i++;
        expect = c === "{" ? "key" : "value";
        // An empty container closes at once.
        let j = i;
        while (j < text.length && /\s/.test(text[j])) j++;
        if (text[j] === (c === "{" ? "}" : "]")) {
          stack.pop();
          i = j + 1;
          afterValue();
        }
        continue;
      }
      if (c === "\"") {
        const next = scanString(text, i);
        if (typeof next !== "number") return next;
        i = next;
        afterValue();
        continue;
      }
      NUMBER.lastIndex = i;
      LITERAL.lastIndex = i;
      const match = NUMBER.exec(text) ?? LITERAL.exec(text);
      if (!match) {
        // A cut literal or number (`tr`, `-`) at the very end is a truncation.
        if ("tfn-".includes(c) && ("true".startsWith(text.slice(i)) || "false".startsWith(text.slice(i)) || "null".startsWith(text.slice(i)) || text.slice(i) === "-")) return end();
        return bad(i);
      }
      i += match[0].length;
      afterValue();
      continue;
    }
    if (expect === "key") {
      if (c !== "\"") return bad(i);
      const next = scanString(text, i);
      if (typeof next !== "number") return next;
      i = next;
      expect = "colon";
      continue;
    }
    if (expect === "colon") {
      if (c !== ":") return bad(i);
      i++;
      expect = "value";
      continue;
    }
    const open = stack[stack.length - 1];
    if (c === ",") {
      i++;
      expect = open === "{" ? "key" : "value";
      continue;
    }
    if ((open === "{" && c === "}") || (open === "[" && c === "]")) {
      stack.pop();
      i++;
      afterValue();
      continue;
    }
    return bad(i);
  }
}
