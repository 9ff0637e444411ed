/**
 * The rule for tests that need a system program: run when it is installed; when it is not,
 * skip with one message on a developer's machine, fail with one message in CI.
 */
import { afterEach, describe, expect, it, vi } from "vitest";
import { inCi, requireSystemTool, toolVerdict, type SystemTool } from "./system-tool.js";

const TMUX: SystemTool = { name: "tmux", install: "sudo apt-get install tmux", neededBy: "the stepper's terminal test" };

describe("toolVerdict", () => {
  it("runs when the tool is present, in CI or not", () => {
    expect(toolVerdict(TMUX, true, {})).toEqual({ action: "run" });
    expect(toolVerdict(TMUX, true, { CI: "true" })).toEqual({ action: "run" });
  });

  it("skips an absent tool outside CI, naming it, the tests and the install command", () => {
    const verdict = toolVerdict(TMUX, false, {});
    expect(verdict.action).toBe("skip");
    expect(verdict).toEqual({ action: "skip", message: expect.stringContaining("the stepper's terminal test skipped: tmux is not installed (sudo apt-get install tmux") });
  });

  it("fails on an absent tool in CI, with the install command", () => {
    expect(toolVerdict(TMUX, false, { CI: "true" })).toEqual({
      action: "fail",
      message: "tmux is not installed and CI is set, so the stepper's terminal test cannot be skipped: sudo apt-get install tmux",
    });
  });
});

describe("inCi", () => {
  it.each([
    [{ CI: "true" }, true],
    [{ CI: "1" }, true],
    [{ CI: "woodpecker" }, true],
    [{ CI: "" }, false],
    [{ CI: "0" }, false],
    [{ CI: "false" }, false],
    [{ CI: " FALSE " }, false],
    [{}, false],
  ] as const)("%j → %s", (env, expected) => {
    expect(inCi(env)).toBe(expected);
  });
});

describe("requireSystemTool", () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it("prints the skip message once and marks the tests skipped", () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => undefined);
    const gate = requireSystemTool(TMUX, false, {});
    expect(gate.skip).toBe(true);
    expect(gate.titleNote).toContain("tmux is not installed");
    expect(warn).toHaveBeenCalledTimes(1);
    expect(String(warn.mock.calls[0][0])).toContain("sudo apt-get install tmux");
    expect(() => gate.assertPresent()).not.toThrow();
  });

  it("in CI neither skips nor prints, and assertPresent throws the failure", () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => undefined);
    const gate = requireSystemTool(TMUX, false, { CI: "true" });
    expect(gate.skip).toBe(false);
    expect(warn).not.toHaveBeenCalled();
    expect(() => gate.assertPresent()).toThrow("tmux is not installed and CI is set");
  });

  it("with the tool present, runs silently", () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => undefined);
    const gate = requireSystemTool(TMUX, true, { CI: "true" });
    expect({ skip: gate.skip, titleNote: gate.titleNote }).toEqual({ skip: false, titleNote: "" });
    expect(() => gate.assertPresent()).not.toThrow();
    expect(warn).not.toHaveBeenCalled();
  });
});
