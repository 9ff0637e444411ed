import { describe, expect, it } from "vitest";
import { DESCRIPTION_LIMIT, libraryDocLines } from "../../src/export/text-docs.js";
import type { LibraryDocs } from "../../src/export/gather-sources.js";
import type { DeclaredIn, MethodDoc, OptionDoc } from "../../src/source/types.js";
import type { Step } from "../../src/trace/model.js";

const ENGINE_OPTIONS: DeclaredIn = { pkg: "engine.io", version: "6.6.4", type: "ServerOptions", file: "node_modules/engine.io/build/server.d.ts", line: 46 };
const EMITTER: DeclaredIn = { pkg: "socket.io", version: "4.8.1", type: "StrictEventEmitter", file: "node_modules/socket.io/dist/typed-events.d.ts", line: 79 };

function step(id: string, values: Record<string, string> = {}): Step {
  return { index: 0, id, title: id, explanation: "", values, started: 0, ended: 1, calls: [], chunks: [] };
}

function docs(options: readonly OptionDoc[], methods: readonly MethodDoc[], extras: { options?: string[]; methods?: string[] } = {}): LibraryDocs {
  return {
    steps: new Map([["s", { options: extras.options ?? options.map((d) => d.name), methods: extras.methods ?? methods.map((d) => d.name) }]]),
    options: new Map(options.map((d) => [d.name, d])),
    methods: new Map(methods.map((d) => [d.name, d])),
  };
}

const PING: OptionDoc = {
  name: "pingInterval",
  declaredIn: ENGINE_OPTIONS,
  doc: { text: "how many ms before sending\n   a new ping packet", tags: [] },
  documentedDefault: "25000",
  shadows: [],
};

describe("libraryDocLines", () => {
  it("quotes an option with its declaration, default and the step's value in force, whitespace collapsed", () => {
    const lines = libraryDocLines(step("s"), docs([PING], []), { pingInterval: 1500 });
    expect(lines).toEqual([
      "  library option pingInterval (engine.io ServerOptions, node_modules/engine.io/build/server.d.ts:46; default 25000; in this run 1500): how many ms before sending a new ping packet",
    ]);
  });

  it("says when the value in force is the default, and falls back to the doc's own inForce", () => {
    expect(libraryDocLines(step("s"), docs([PING], []), { pingInterval: 25000 })[0]).toContain("in this run 25000 (the default)");
    const asked = { ...PING, inForce: "1500", isDefault: false };
    expect(libraryDocLines(step("s"), docs([asked], []))[0]).toContain("; in this run 1500)");
  });

  it("cuts a long description with a visible ellipsis", () => {
    const long: OptionDoc = { ...PING, doc: { text: "word ".repeat(100), tags: [] } };
    const [line] = libraryDocLines(step("s"), docs([long], []));
    const text = line.slice(line.indexOf("): ") + 3);
    const whole = "word ".repeat(100).trim();
    expect(text).toBe(`${whole.slice(0, DESCRIPTION_LIMIT)}… ${whole.length - DESCRIPTION_LIMIT} more`);
  });

  it("cuts a doc comment where a sentence or a word ends, never inside a word", () => {
    const text =
      "A function that receives a given handshake or upgrade request as its first parameter, and can decide whether to continue or not. " +
      "The second argument is a function that needs to be called with the decided information: fn(err, success), where success is a boolean value.";
    const allow: OptionDoc = { name: "allowRequest", declaredIn: ENGINE_OPTIONS, doc: { text, tags: [] }, shadows: [] };
    const [line] = libraryDocLines(step("s"), docs([allow], []));
    // The old cut: `… The second argument is a functi… 181 more`.
    expect(line.endsWith("whether to continue or not. … 139 more")).toBe(true);
    const oneSentence: OptionDoc = { ...allow, doc: { text: `${"a verylongword ".repeat(20)}end`, tags: [] } };
    const [cut] = libraryDocLines(step("s"), docs([oneSentence], []));
    // Every word before the mark is whole.
    expect(cut).toMatch(/\): (?:(?:a|verylongword) )+… \d+ more$/);
  });

  it("says why an option has no declaration", () => {
    const missing: OptionDoc = { name: "allowEIO3", shadows: [], reason: "no option allowEIO3 is declared by the installed packages" };
    expect(libraryDocLines(step("s"), docs([missing], []))).toEqual([
      "  library option allowEIO3 (no declaration: no option allowEIO3 is declared by the installed packages)",
    ]);
  });

  it("quotes methods that resolve to one declaration once, naming the declaring type", () => {
    const on = (name: string): MethodDoc => ({ name, declaredIn: EMITTER, doc: { text: "Adds the `listener` function.", tags: [] } });
    const use: MethodDoc = {
      name: "Server.use",
      declaredIn: { ...EMITTER, type: "Server", file: "node_modules/socket.io/dist/index.d.ts", line: 361 },
      doc: { text: "Registers a middleware for every incoming {@link Socket}.", tags: [] },
    };
    const lines = libraryDocLines(step("s"), docs([], [on("Server.on"), on("Namespace.on"), use]));
    expect(lines).toEqual([
      "  library method Server.on, Namespace.on (socket.io StrictEventEmitter, node_modules/socket.io/dist/typed-events.d.ts:79): Adds the `listener` function.",
      "          method Server.use (socket.io, node_modules/socket.io/dist/index.d.ts:361): Registers a middleware for every incoming Socket.",
    ]);
  });

  it("says why a method has no declaration, and skips names the docs do not know", () => {
    const gone: MethodDoc = { name: "Server.nope", reason: "Server.nope is not declared by the installed packages" };
    const lines = libraryDocLines(step("s"), docs([], [gone], { methods: ["Server.nope", "Server.unknown"] }));
    expect(lines).toEqual(["  library method Server.nope (no declaration: Server.nope is not declared by the installed packages)"]);
    expect(libraryDocLines(step("other"), docs([PING], [gone]))).toEqual([]);
  });

  it("never lets doc text, defaults or values carry terminal controls", () => {
    const hostile: OptionDoc = {
      ...PING,
      doc: { text: "red \u001b[31mtext\u001b]0;title\u0007 and \u009b2J then \u202eevil", tags: [] },
      documentedDefault: "\u001b[2J",
    };
    const [line] = libraryDocLines(step("s"), docs([hostile], []), { pingInterval: "\u001b[5m" });
    expect(line).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e]/);
    expect(line).toContain("red \\x1b[31mtext\\x1b]0;title\\x07 and \\x9b2J then \\u202eevil");
    expect(line).toContain("default \\x1b[2J");
  });

  it("styles names and facts through the caller's style", () => {
    const style = { heading: (s: string) => s, code: (s: string) => s, name: (s: string) => `<${s}>`, dim: (s: string) => `[${s}]` };
    expect(libraryDocLines(step("s"), docs([PING], []), {}, style)[0]).toBe(
      "  library option <pingInterval> [(engine.io ServerOptions, node_modules/engine.io/build/server.d.ts:46; default 25000)]: how many ms before sending a new ping packet",
    );
  });
});
