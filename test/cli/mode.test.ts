import { describe, expect, it } from "vitest";
import { resolveMode, type CliInput, type Terminals } from "../../src/cli/mode.js";
import { UsageError } from "../../src/cli/errors.js";

const TTY: Terminals = { stdin: true, stdout: true };
const PIPED: Terminals = { stdin: true, stdout: false };

function input(over: Partial<CliInput> = {}): CliInput {
  return { command: "run", args: [], interactive: true, json: false, server: "node", compare: false, given: new Set(), ...over };
}

function usage(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    expect((error as Error).message).not.toContain("\n");
    return (error as Error).message;
  }
  throw new Error("expected a UsageError");
}

describe("resolveMode", () => {
  it("runs or exports a lesson named by --scenario, and refuses it where only the chat or an app runs", () => {
    expect(resolveMode(input({ scenario: "rooms" }), {}, PIPED)).toEqual({ kind: "run", target: { kind: "builtin", scenario: "rooms" }, view: "text" });
    expect(resolveMode(input({ command: "export", scenario: "rooms" }), {}, PIPED)).toMatchObject({ kind: "export", input: { kind: "record", target: { kind: "builtin", scenario: "rooms" } } });
    expect(usage(() => resolveMode(input({ scenario: "rooms", file: "server.js" }), {}, PIPED))).toMatch(/--scenario runs a built-in lesson; it cannot also trace server\.js/);
    expect(usage(() => resolveMode(input({ scenario: "rooms", server: "flask" }), {}, PIPED))).toMatch(/no --scenario/);
    expect(usage(() => resolveMode(input({ scenario: "rooms", compare: true }), {}, PIPED))).toMatch(/no --scenario/);
    expect(usage(() => resolveMode(input({ command: "export", scenario: "rooms", from: "t.json" }), {}, PIPED))).toMatch(/cannot also run --scenario/);
  });

  it("opens the stepper only with a terminal on both ends, no CI and no --json", () => {
    expect(resolveMode(input(), {}, TTY)).toEqual({ kind: "run", target: { kind: "builtin" }, view: "stepper" });
    expect(resolveMode(input(), {}, PIPED)).toEqual({ kind: "run", target: { kind: "builtin" }, view: "text" });
    expect(resolveMode(input(), {}, { stdin: false, stdout: true })).toMatchObject({ view: "text" });
    expect(resolveMode(input(), { CI: "true" }, TTY)).toMatchObject({ view: "text" });
    expect(resolveMode(input({ interactive: false }), {}, TTY)).toMatchObject({ view: "text" });
    expect(resolveMode(input({ json: true }), {}, TTY)).toMatchObject({ view: "json" });
    expect(resolveMode(input({ json: true }), { CI: "1" }, PIPED)).toMatchObject({ view: "json" });
  });

  it("traces your own app with its arguments, the Flask chat, or both chats side by side", () => {
    expect(resolveMode(input({ file: "server.js", args: ["--", "x"] }), {}, PIPED)).toEqual({ kind: "run", target: { kind: "app", entry: "server.js", args: ["--", "x"] }, view: "text" });
    expect(resolveMode(input({ server: "flask" }), {}, TTY)).toEqual({ kind: "run", target: { kind: "flask" }, view: "stepper" });
    expect(resolveMode(input({ compare: true, json: true }), {}, PIPED)).toEqual({ kind: "compare", view: "json" });
    expect(resolveMode(input({ compare: true }), {}, TTY)).toEqual({ kind: "compare", view: "stepper" });
  });

  it("replays a file in the stepper, as text or as JSON", () => {
    expect(resolveMode(input({ command: "replay", file: "t.json" }), {}, TTY)).toEqual({ kind: "replay", file: "t.json", view: "stepper" });
    expect(resolveMode(input({ command: "replay", file: "t.json" }), { CI: "1" }, TTY)).toEqual({ kind: "replay", file: "t.json", view: "text" });
    expect(resolveMode(input({ command: "replay", file: "t.json", json: true }), {}, PIPED)).toEqual({ kind: "replay", file: "t.json", view: "json" });
  });

  it("exports the chat, your app or a trace file, with the default output per format", () => {
    const exp = (over: Partial<CliInput>) => resolveMode(input({ command: "export", ...over }), {}, TTY);
    expect(exp({})).toEqual({ kind: "export", input: { kind: "record", target: { kind: "builtin" } }, format: "md", output: "trace.md", stable: false });
    expect(exp({ format: "json" })).toMatchObject({ format: "json", output: "trace.json" });
    expect(exp({ file: "server.js", output: "report.md", stable: true })).toEqual({
      kind: "export",
      input: { kind: "record", target: { kind: "app", entry: "server.js", args: [] } },
      format: "md",
      output: "report.md",
      stable: true,
    });
    expect(exp({ from: "t.json", output: "-" })).toMatchObject({ input: { kind: "file", from: "t.json" }, output: "-" });
    expect(exp({ compare: true })).toEqual({ kind: "export-compare", output: "compare.md" });
  });

  it("refuses --port for your own app, which listens where its code says", () => {
    expect(usage(() => resolveMode(input({ file: "server.js", given: new Set(["port"]) }), {}, PIPED))).toMatch(/^--port does not apply to your own app/);
    expect(usage(() => resolveMode(input({ command: "export", file: "server.js", given: new Set(["port"]) }), {}, PIPED))).toMatch(/^--port does not apply/);
    expect(resolveMode(input({ given: new Set(["port"]) }), {}, PIPED)).toMatchObject({ target: { kind: "builtin" } });
  });

  it("refuses the app's client flags for the built-in chats, which run their own client", () => {
    for (const flag of ["emit", "auth", "transports", "namespace", "client"]) {
      const given = new Set([flag]);
      expect(usage(() => resolveMode(input({ given }), {}, PIPED))).toBe(`--${flag} applies only to your own app (trace-socket server.js --${flag} …); the built-in chat runs its own client`);
      expect(usage(() => resolveMode(input({ given, compare: true }), {}, PIPED))).toContain(`--${flag} applies only to your own app`);
      expect(usage(() => resolveMode(input({ given, command: "export" }), {}, PIPED))).toContain(`--${flag} applies only to your own app`);
      expect(resolveMode(input({ given, file: "server.js" }), {}, PIPED)).toMatchObject({ target: { kind: "app" } });
    }
  });

  it("refuses combinations that would ignore half of what was asked", () => {
    expect(usage(() => resolveMode(input({ file: "server.js", compare: true }), {}, PIPED))).toContain("cannot trace your own app");
    expect(usage(() => resolveMode(input({ file: "server.js", server: "flask" }), {}, PIPED))).toContain("cannot trace your own app");
    expect(usage(() => resolveMode(input({ command: "export", file: "server.js", from: "t.json" }), {}, PIPED))).toBe("--from renders a trace file; it cannot also trace server.js");
    expect(usage(() => resolveMode(input({ command: "export", compare: true, from: "t.json" }), {}, PIPED))).toContain("--from");
    expect(usage(() => resolveMode(input({ command: "export", compare: true, format: "json" }), {}, PIPED))).toContain("markdown report only");
    expect(usage(() => resolveMode(input({ command: "export", server: "flask" }), {}, PIPED))).toContain("export --compare");
  });

  it("predict mode: with one trace shown as questions or a worksheet, never with --json, --compare or export's json; --seed only with it", () => {
    expect(resolveMode(input({ predict: true }), {}, TTY)).toMatchObject({ kind: "run", view: "stepper" });
    expect(resolveMode(input({ predict: true, interactive: false }), {}, TTY)).toMatchObject({ kind: "run", view: "text" });
    expect(resolveMode(input({ command: "replay", file: "t.json", predict: true }), {}, PIPED)).toMatchObject({ kind: "replay", view: "text" });
    expect(resolveMode(input({ command: "export", predict: true }), {}, TTY)).toMatchObject({ kind: "export", format: "md", output: "worksheet.md" });
    expect(resolveMode(input({ command: "export", predict: true, output: "sheet.md" }), {}, TTY)).toMatchObject({ output: "sheet.md" });
    expect(usage(() => resolveMode(input({ predict: true, json: true }), {}, TTY))).toMatch(/--predict .* no --json form/);
    expect(usage(() => resolveMode(input({ predict: true, compare: true }), {}, TTY))).toMatch(/--predict .* --compare/);
    expect(usage(() => resolveMode(input({ command: "export", predict: true, compare: true }), {}, TTY))).toMatch(/--predict .* --compare/);
    expect(usage(() => resolveMode(input({ command: "export", predict: true, format: "json" }), {}, TTY))).toMatch(/no --format json/);
    expect(usage(() => resolveMode(input({ given: new Set(["seed"]) }), {}, TTY))).toMatch(/--seed .* needs --predict/);
    expect(resolveMode(input({ predict: true, given: new Set(["seed"]) }), {}, TTY)).toMatchObject({ kind: "run" });
  });
});
