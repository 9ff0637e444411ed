/**
 * Scenarios are data: every built-in folder conforms to the schemas in
 * traces/, and a file that does not is refused with its name and the field.
 */
import { mkdtempSync, mkdirSync, writeFileSync, cpSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { builtInScenarios, loadCounterpart, loadScenario, PACKAGE_ROOT, ScenarioFileError } from "../../src/trace/scenario.js";
import { checkSchema, type JsonSchema } from "../../src/trace/json-schema.js";

const valid = {
  name: "tiny",
  title: "t",
  server: "server.mjs",
  steps: [{ id: "one", title: "one", side: "server", anchor: "x(", explanation: "e", docs: { options: [], methods: [] } }],
};

/** A scenario folder of these files, beside the programs they name (holding the anchors they use). */
function folder(steps: unknown, scenario?: unknown): string {
  const dir = mkdtempSync(join(tmpdir(), "ts-scenario-"));
  writeFileSync(join(dir, "server.mjs"), "x();\n");
  writeFileSync(join(dir, "client.mjs"), "y();\n");
  writeFileSync(join(dir, "steps.json"), typeof steps === "string" ? steps : JSON.stringify(steps));
  if (scenario !== undefined) writeFileSync(join(dir, "scenario.json"), JSON.stringify(scenario));
  return dir;
}

function refusal(dir: string): string {
  try {
    loadScenario(dir);
  } catch (error) {
    expect(error).toBeInstanceOf(ScenarioFileError);
    return (error as Error).message;
  }
  throw new Error("loaded");
}

describe("scenario folders", () => {
  it("the built-in ones load, with the default and its counterpart named by their data", () => {
    const all = builtInScenarios();
    expect(all.length).toBeGreaterThanOrEqual(2);
    const chosen = loadScenario();
    expect(chosen.default).toBe(true);
    expect(all.filter((s) => s.default)).toHaveLength(1);
    const flask = loadCounterpart(chosen, "flask");
    expect(flask.runtime).toBe("python");
    expect(Object.keys(flask.claims ?? {}).length).toBeGreaterThan(0);
    expect(chosen.steps.filter((s) => s.listeners).length).toBeGreaterThan(0);
  });

  it("a step needs no flask field", () => {
    expect(loadScenario(folder(valid)).steps[0]).not.toHaveProperty("flask");
  });

  it("names the file and the field of a wrong type", () => {
    const dir = folder({ ...valid, steps: [{ ...valid.steps[0], anchor: 3 }] });
    expect(refusal(dir)).toBe(`${join(dir, "steps.json")}: steps[0].anchor: expected a string, found 3`);
  });

  it("names a missing field, an unknown one and a value out of its set", () => {
    const { docs: _docs, ...noDocs } = valid.steps[0];
    expect(refusal(folder({ ...valid, steps: [noDocs] }))).toMatch(/steps\.json: steps\[0\]: missing field docs$/);
    expect(refusal(folder({ ...valid, stpes: [] }))).toMatch(/steps\.json: stpes: unknown field \(known: name, title, server, client, steps\)$/);
    expect(refusal(folder({ ...valid, steps: [{ ...valid.steps[0], side: "both" }] }))).toMatch(/steps\[0\]\.side: expected one of "server", "client", "none", found "both"$/);
  });

  it("a step is narrated by its claims or its own explanation, and names the step with neither", () => {
    const { explanation: _explanation, ...silent } = valid.steps[0];
    const dir = folder({ ...valid, steps: [silent] });
    expect(refusal(dir)).toMatch(/steps\.json: steps\[0\]\.explanation: step one has neither an explanation nor claims in claims\.json$/);
    writeFileSync(join(dir, "claims.json"), JSON.stringify({ one: [{ say: "It runs.", check: { call: "x" } }] }));
    expect(loadScenario(dir).claims?.one?.[0].say).toBe("It runs.");
    // The built-in chats say nothing outside their claims.
    for (const scenario of builtInScenarios()) for (const step of scenario.steps) expect(step.explanation, `${scenario.name} ${step.id}`).toBeUndefined();
  });

  it("names the field of scenario.json, and what it refers to that steps.json lacks", () => {
    expect(refusal(folder(valid, { steps: { one: { focus: "x" } } }))).toMatch(/scenario\.json: steps\.one\.focus: expected a list, found "x"$/);
    expect(refusal(folder(valid, { steps: { two: {} } }))).toMatch(/scenario\.json: steps\.two: no step two in steps\.json$/);
    expect(refusal(folder(valid, { steps: { one: { links: [{ repo: "r", line: 1, label: "l" }] } } }))).toMatch(/steps\.one\.links\[0\]\.repo: no repository r in linkRepos$/);
    // The old facts vocabulary is gone: what the Flask chat checked there is claims now.
    expect(refusal(folder(valid, { facts: [] }))).toMatch(/scenario\.json: facts: unknown field/);
  });

  it("says which file is not JSON at all", () => {
    expect(refusal(folder("{ nope"))).toMatch(/steps\.json: .*JSON/);
  });

  it("a copy of a built-in folder loads from anywhere, its extras merged into its steps", () => {
    const dir = join(mkdtempSync(join(tmpdir(), "ts-scenario-")), "copy");
    mkdirSync(dir);
    cpSync(join(PACKAGE_ROOT, "traces", loadScenario().name), dir, { recursive: true });
    const copy = loadScenario(dir);
    expect(copy.steps.map((s) => s.id)).toEqual(loadScenario().steps.map((s) => s.id));
    expect(copy.steps.some((s) => s.focus?.length)).toBe(true);
  });
});

describe("the programs a folder names", () => {
  it("names the field of a program that is not there", () => {
    expect(refusal(folder({ ...valid, server: "app.mjs" }))).toMatch(/steps\.json: server: no file app\.mjs in the scenario's folder$/);
    expect(refusal(folder({ ...valid, client: "gone.mjs" }))).toMatch(/steps\.json: client: no file gone\.mjs in the scenario's folder$/);
    expect(refusal(folder(valid, { cluster: { worker: "worker.mjs", workers: 2 } }))).toMatch(/scenario\.json: cluster\.worker: no file worker\.mjs in the scenario's folder$/);
  });

  it("names the step whose anchor is not in the program of its side", () => {
    expect(refusal(folder({ ...valid, steps: [{ ...valid.steps[0], anchor: "nowhere(" }] }))).toMatch(/steps\.json: steps\[0\]\.anchor: "nowhere\(" is not in server\.mjs$/);
    // The client's text is not the server's: an anchor of the client's code on a server step is refused.
    const wrongSide = folder({ ...valid, client: "client.mjs", steps: [{ ...valid.steps[0], anchor: "y(" }] });
    expect(refusal(wrongSide)).toMatch(/steps\[0\]\.anchor: "y\(" is not in server\.mjs$/);
    expect(refusal(folder({ ...valid, steps: [{ ...valid.steps[0], side: "client", anchor: "y(" }] }))).toMatch(/steps\[0\]\.side: a client step needs a client program/);
    expect(loadScenario(folder({ ...valid, client: "client.mjs", steps: [valid.steps[0], { ...valid.steps[0], id: "two", side: "client", anchor: "y(" }] })).steps).toHaveLength(2);
  });

  it("a cluster's server steps may pause in the workers' program", () => {
    const dir = folder({ ...valid, steps: [valid.steps[0], { ...valid.steps[0], id: "two", anchor: "w(" }] }, { cluster: { worker: "worker.mjs", workers: 2 } });
    writeFileSync(join(dir, "worker.mjs"), "w();\n");
    expect(loadScenario(dir).steps.map((s) => s.id)).toEqual(["one", "two"]);
  });
});

describe("a folder's claims.json", () => {
  it("is refused like the folder's other files, naming the file and the field", () => {
    const dir = folder(valid);
    writeFileSync(join(dir, "claims.json"), JSON.stringify({ one: [{ say: 3 }] }));
    expect(refusal(dir)).toBe(`${join(dir, "claims.json")}: one[0].say: expected the sentence as a string`);
    writeFileSync(join(dir, "claims.json"), "{ \"one\": [");
    expect(refusal(dir)).toMatch(/claims\.json: \(file\): not valid JSON/);
  });
});

describe("client actions in steps.json", () => {
  const step = (over: Record<string, unknown>) => ({ id: "s", title: "s", side: "none", docs: { options: [], methods: [] }, explanation: "e", ...over });
  const scenario = (...steps: unknown[]) => folder({ ...valid, client: "client.mjs", steps: [valid.steps[0], ...steps] });

  it("loads a freeze ended by a frame and a kill at the end", () => {
    const loaded = loadScenario(scenario(step({ id: "a", action: "freeze", until: { dir: "out", ws: "close" } }), step({ id: "b", action: "kill", waitFor: "close" })));
    expect(loaded.steps.map((s) => s.action)).toEqual([undefined, "freeze", "kill"]);
    expect(loaded.steps[1].until).toEqual({ dir: "out", ws: "close" });
  });

  it("refuses what could not run, naming the field", () => {
    expect(refusal(scenario(step({ action: "thaw" })))).toMatch(/steps\.json: steps\[1\]\.action: /);
    expect(refusal(scenario(step({ action: "freeze" })))).toMatch(/steps\[1\]\.until: a freeze needs the frame that ends it/);
    expect(refusal(scenario(step({ side: "client", action: "kill" })))).toMatch(/steps\[1\]\.action: an action runs in a step of side "none", not "client"/);
    expect(refusal(scenario(step({ action: "kill" }), step({ id: "t", side: "client" })))).toMatch(/steps\[2\]: the client was killed in steps\[1\]/);
    expect(refusal(scenario(step({ until: { dir: "up" } })))).toMatch(/steps\[1\]\.until\.dir: expected "in" or "out"/);
  });
});

describe("the schema checker", () => {
  const schema: JsonSchema = {
    type: "object",
    properties: { n: { type: "integer", minimum: 1 }, list: { type: "array", minItems: 1, items: { $ref: "#/$defs/item" } } },
    $defs: { item: { anyOf: [{ type: "string", pattern: "^a" }, { type: "object", required: ["x"] }] } },
  };
  it("accepts what conforms and names the first problem otherwise", () => {
    expect(checkSchema({ n: 2, list: ["ab", { x: 1 }] }, schema)).toBeUndefined();
    expect(checkSchema({ n: 1.5 }, schema)).toEqual({ path: "n", problem: "expected a whole number, found 1.5" });
    expect(checkSchema({ n: 0 }, schema)).toEqual({ path: "n", problem: "expected at least 1, found 0" });
    expect(checkSchema({ list: [] }, schema)).toEqual({ path: "list", problem: "expected at least 1 entries, found 0" });
    expect(checkSchema({ list: [{}] }, schema)).toEqual({ path: "list[0]", problem: "missing field x" });
    expect(checkSchema({ list: ["b"] }, schema)?.path).toBe("list[0]");
  });
});
