/**
 * Making arbitrary text safe for a fixed-size terminal cell grid: control
 * characters and escape sequences out, long text wrapped or cut by us, never
 * by the terminal. Pure.
 */

// CSI/OSC sequences and lone escapes: captured output may carry colours of its own.
const ANSI = /\u001B(?:\[[0-?]*[ -/]*[@-~]|\][^\u0007\u001B]*(?:\u0007|\u001B\\)|[@-Z\\-_])/g;
const CONTROL = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/g;

/**
 * Removes escape sequences, turns tabs into two spaces and shows other control
 * characters as `␀`-style pictures (Engine.IO's `\x1e` separator stays visible).
 *
 * @example
 * sanitize("\u001b[31mred\u001b[0m\tx"); // "red  x"
 */
export function sanitize(text: string): string {
  return text
    .replace(ANSI, "")
    .replace(/\t/g, "  ")
    .replace(/\r?\n/g, "↵")
    .replace(CONTROL, (c) => {
      const code = c.charCodeAt(0);
      return code < 0x20 ? String.fromCharCode(0x2400 + code) : "·";
    });
}

/** Display width, counted in code points (the panes' content is almost all ASCII; ink truncates exactly). */
export function width(text: string): number {
  let n = 0;
  for (const _ of text) n++;
  return n;
}

/** Cuts `text` to `max` columns, ending with `…` when something was cut. */
export function fit(text: string, max: number): string {
  if (max <= 0) return "";
  const chars = [...text];
  if (chars.length <= max) return text;
  return `${chars.slice(0, Math.max(0, max - 1)).join("")}…`;
}

/** Pads or cuts `text` to exactly `size` columns. */
export function pad(text: string, size: number): string {
  const cut = fit(text, size);
  return cut + " ".repeat(Math.max(0, size - width(cut)));
}

/**
 * Word-wraps `text` to `max` columns; words longer than a line are broken.
 * Newlines in the input start new lines; `indent` prefixes continuation lines.
 */
export function wrap(text: string, max: number, givenIndent = ""): string[] {
  const out: string[] = [];
  const room = Math.max(1, max);
  // An indent as wide as the line would leave no room for text, and the loop below no way forward.
  const indent = width(givenIndent) < room ? givenIndent : "";
  for (const paragraph of text.split(/\r?\n/)) {
    let line = "";
    const push = (): void => {
      out.push(line);
      line = indent;
    };
    const words = sanitize(paragraph).split(/( +)/).filter((w) => w !== "");
    if (words.length === 0) {
      out.push("");
      continue;
    }
    for (const word of words) {
      if (width(line) + width(word) <= room) {
        line += word;
        continue;
      }
      if (/^ +$/.test(word)) {
        push();
        continue;
      }
      if (width(line) > width(indent)) push();
      let rest = [...word];
      while (width(line) + rest.length > room) {
        const take = Math.max(1, room - width(line));
        line += rest.slice(0, take).join("");
        rest = rest.slice(take);
        push();
      }
      line += rest.join("");
    }
    out.push(line);
  }
  return out.map((l) => l.replace(/ +$/, ""));
}
