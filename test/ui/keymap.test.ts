import { describe, expect, it } from "vitest";
import { intentFor, KEY_HELP, KEY_SUMMARIES, keyPresses } from "../../src/ui/keymap.js";

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
    ["", { escape: true }, { type: "escape" }],
    ["q", {}, { type: "quit" }],
    ["c", { ctrl: true }, { type: "interrupt" }],
  ])("maps %j %j", (input, key, intent) => {
    expect(intentFor(input, key, false)).toEqual(intent);
  });

  it("ignores keys it has no use for", () => {
    expect(intentFor("x", {}, false)).toBeUndefined();
  });

  it("closes the help with any key, but q and ctrl-c still leave", () => {
    expect(intentFor("n", {}, true)).toEqual({ type: "help" });
    expect(intentFor("q", {}, true)).toEqual({ type: "quit" });
    expect(intentFor("c", { ctrl: true }, true)).toEqual({ type: "interrupt" });
  });

  it("documents every key it handles, and the shortest summary fits 40 columns", () => {
    const documented = KEY_HELP.map(([keys]) => keys).join(" ");
    for (const key of ["n", "p", "j", "k", "enter", "tab", "g", "z", "c", "l", "e", "?", "esc", "q", "ctrl-c"]) expect(documented).toContain(key);
    expect(KEY_SUMMARIES.at(-1)!.length).toBeLessThanOrEqual(40);
    expect(KEY_SUMMARIES[1].length).toBeLessThanOrEqual(80);
    // The e2e stepper test reads the full summary at 110 columns.
    expect([...KEY_SUMMARIES[0]].length).toBeLessThanOrEqual(110);
    for (const summary of KEY_SUMMARIES.slice(0, -1)) expect(summary).toMatch(/\bc (cmp|compare)\b/);
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
