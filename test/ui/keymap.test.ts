import { describe, expect, it } from "vitest";
import { COMPARE_KEY_SUMMARIES, FRAME_KEY_SUMMARIES, intentFor, KEY_HELP, KEY_SUMMARIES, keyPresses } from "../../src/ui/keymap.js";

describe("intentFor", () => {
  it.each([
    ["n", {}, { type: "next" }],
    ["", { rightArrow: true }, { type: "next" }],
    ["p", {}, { type: "step", delta: -1 }],
    ["", { leftArrow: true }, { type: "step", delta: -1 }],
    ["j", {}, { type: "move", delta: 1 }],
    ["", { upArrow: true }, { type: "move", delta: -1 }],
    ["", { pageDown: true }, { type: "page", dir: 1 }],
    ["", { end: true }, { type: "move", delta: Infinity }],
    ["", { return: true }, { type: "toggle" }],
    ["", { tab: true }, { type: "focus", delta: 1 }],
    ["", { tab: true, shift: true }, { type: "focus", delta: -1 }],
    ["g", {}, { type: "jump" }],
    ["e", {}, { type: "export" }],
    ["l", {}, { type: "log" }],
    ["?", {}, { type: "help" }],
    ["z", {}, { type: "zoom" }],
    ["c", {}, { type: "compare" }],
    ["J", { shift: true }, { type: "story", delta: 1 }],
    ["K", { shift: true }, { type: "story", delta: -1 }],
    ["b", {}, { type: "lane" }],
    ["v", {}, { type: "process" }],
    ["h", {}, { type: "filter", what: "heartbeats" }],
    ["d", {}, { type: "filter", what: "dir" }],
    ["w", {}, { type: "filter", what: "conn" }],
    ["t", {}, { type: "filter", what: "kind" }],
    ["x", {}, { type: "hex" }],
    ["y", {}, { type: "copy" }],
    ["o", {}, { type: "open" }],
    ["/", {}, { type: "prompt", text: "" }],
    ["", { escape: true }, { type: "escape" }],
    ["q", {}, { type: "quit" }],
    ["c", { ctrl: true }, { type: "interrupt" }],
  ])("maps %j %j", (input, key, intent) => {
    expect(intentFor(input, key, false)).toEqual(intent);
  });

  it("ignores keys it has no use for", () => {
    expect(intentFor("X", {}, false)).toBeUndefined();
    expect(intentFor("u", {}, false)).toBeUndefined();
  });

  it("edits the search while it is typed: letters add, backspace removes, enter submits, esc cancels", () => {
    expect(intentFor("q", {}, false, "emi")).toEqual({ type: "prompt", text: "emiq" });
    expect(intentFor("n", {}, false, "")).toEqual({ type: "prompt", text: "n" });
    expect(intentFor("", { delete: true }, false, "emit")).toEqual({ type: "prompt", text: "emi" });
    expect(intentFor("", { backspace: true }, false, "")).toEqual({ type: "prompt", text: "" });
    expect(intentFor("", { return: true }, false, "emit")).toEqual({ type: "submit" });
    expect(intentFor("", { escape: true }, false, "emit")).toEqual({ type: "escape" });
    expect(intentFor("c", { ctrl: true }, false, "emit")).toEqual({ type: "interrupt" });
    expect(intentFor("", { upArrow: true }, false, "emit")).toBeUndefined();
  });

  it("closes the help with any key, but q and ctrl-c still leave", () => {
    expect(intentFor("n", {}, true)).toEqual({ type: "help" });
    expect(intentFor("q", {}, true)).toEqual({ type: "quit" });
    expect(intentFor("c", { ctrl: true }, true)).toEqual({ type: "interrupt" });
  });

  it("documents every key it handles, and the shortest summary fits 40 columns", () => {
    const documented = KEY_HELP.map(([keys]) => keys).join(" ");
    for (const key of ["n", "p", "j", "k", "J / K", "enter", "tab", "/", "b", "g", "o", "h d w t", "x / y", "z", "c", "l", "e", "?", "esc", "q", "ctrl-c", "r R", "v"]) expect(documented).toContain(key);
    for (const summaries of [KEY_SUMMARIES, FRAME_KEY_SUMMARIES, COMPARE_KEY_SUMMARIES]) expect(summaries.at(-1)!.length).toBeLessThanOrEqual(40);
    // At 80 columns (the small layout) the footer lists zoom and the story's scroll keys.
    const at80 = KEY_SUMMARIES.find((s) => [...s].length <= 80)!;
    expect(at80).toMatch(/z zoom/);
    expect(at80).toMatch(/J\/K story/);
    // …and the turn walk (r / R on a × N line) and the process lanes (v).
    expect(at80).toMatch(/ r\/R /);
    expect(at80).toMatch(/ v lane /);
    expect(FRAME_KEY_SUMMARIES.find((s) => [...s].length <= 80)).toMatch(/h ping\/pong d dir w conn t type \/ filter x hex y copy/);
    // The e2e stepper test reads the summary shown at 110 columns.
    expect(KEY_SUMMARIES.find((s) => [...s].length <= 110)).toMatch(/^→\/n next ←\/p prev ↑↓ move J\/K story/);
    for (const summary of COMPARE_KEY_SUMMARIES) expect(summary).toMatch(/\bc (cmp|close compare)\b/);
  });
});

describe("keyPresses", () => {
  it("splits a run of typed characters into single keys", () => {
    expect(keyPresses("jjq", {})).toEqual([["j", {}], ["j", {}], ["q", {}]]);
    expect(keyPresses("\t\t\r", {})).toEqual([["", { tab: true }], ["", { tab: true }], ["", { return: true }]]);
  });

  it("leaves single keys and modified keys alone", () => {
    expect(keyPresses("n", {})).toEqual([["n", {}]]);
    expect(keyPresses("", { upArrow: true })).toEqual([["", { upArrow: true }]]);
    expect(keyPresses("c", { ctrl: true })).toEqual([["c", { ctrl: true }]]);
  });
});
