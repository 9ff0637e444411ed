/**
 * A claims file with a typo fails on load with one line naming the file and
 * the field, so a misspelt check never becomes a claim that silently fails.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadClaims } from "../../src/trace/claims-file.js";
import { validateClaims } from "../../src/trace/claims-validate.js";
import { PACKAGE_ROOT } from "../../src/trace/scenario.js";

const FILE = "traces/x/claims.json";
const problem = (parsed: unknown) => {
  try {
    validateClaims(parsed, FILE);
  } catch (error) {
    return (error as Error).message;
  }
  return "valid";
};

describe("validateClaims", () => {
  it("accepts the built-in scenarios' claims", () => {
    const chat = JSON.parse(readFileSync(join(PACKAGE_ROOT, "traces", "chat", "claims.json"), "utf8"));
    expect(Object.keys(validateClaims(chat, "chat")).length).toBeGreaterThan(5);
  });

  it("names the file and the field of each kind of mistake", () => {
    expect(problem([])).toBe(`${FILE}: (top): expected an object of step ids to lists of claims`);
    expect(problem({ init: {} })).toBe(`${FILE}: init: expected a list of claims`);
    expect(problem({ init: [{ check: { call: "X" } }] })).toBe(`${FILE}: init[0].say: expected the sentence as a string`);
    expect(problem({ init: [{ say: "s" }] })).toMatch(/init\[0\]: a claim takes a check, or .* a because; exactly one$/);
    expect(problem({ init: [{ say: "s", check: { cal: "X" } }] })).toMatch(/^traces\/x\/claims\.json: init\[0\]\.check: unknown check/);
    expect(problem({ init: [{ say: "s", check: { call: "X", undr: "Y" } }] })).toBe(`${FILE}: init[0].check.undr: not part of a "call" check (allowed: call, under, notUnder, calledFrom, lineAbove, scope)`);
    expect(problem({ init: [{ say: "s", check: { frame: { dir: "up" } } }] })).toBe(`${FILE}: init[0].check.frame.dir: expected "in" or "out"`);
    expect(problem({ init: [{ say: "s", check: { frame: { sio: "EVENT", evnt: "x" } } }] })).toMatch(/init\[0\]\.check\.frame\.evnt: unknown frame field/);
    expect(problem({ init: [{ say: "s", check: { all: [{ order: ["A"] }] } }] })).toBe(`${FILE}: init[0].check.all[0].order: expected two or more function names`);
    expect(problem({ init: [{ say: "s", check: { frame: { raw: "2" }, before: { raw: "3" }, writtenBy: "X" } }] })).toMatch(/takes one of writtenBy, before/);
  });
});

describe("loadClaims", () => {
  it("is undefined without a file and names the file when its JSON is broken", () => {
    const dir = mkdtempSync(join(tmpdir(), "claims-"));
    try {
      expect(loadClaims(dir)).toBeUndefined();
      writeFileSync(join(dir, "claims.json"), "{ nope");
      expect(() => loadClaims(dir, "traces/x/claims.json")).toThrow(/^traces\/x\/claims\.json: \(file\): not valid JSON/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("the log check", () => {
  it("takes server or client and the text a line includes, and names a mistake's field", () => {
    expect(problem({ s: [{ say: "s", check: { log: "client", includes: "refused" } }] })).toBe("valid");
    expect(problem({ s: [{ say: "s", check: { log: "server", includes: "x", scope: "whole-run" } }] })).toBe("valid");
    expect(problem({ s: [{ say: "s", check: { log: "browser", includes: "x" } }] })).toBe(`${FILE}: s[0].check.log: expected "server" (its stdout) or "client"`);
    expect(problem({ s: [{ say: "s", check: { log: "client", includes: "" } }] })).toBe(`${FILE}: s[0].check.includes: expected the text the line includes`);
    expect(problem({ s: [{ say: "s", check: { log: "client", include: "x" } }] })).toMatch(/s\[0\]\.check\.include: not part of a "log" check/);
  });
});
