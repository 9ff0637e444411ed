/**
 * What a scenario folder's data says of its programs, checked when it loads:
 * each program it names exists, and each step's anchor is text of the program
 * its side runs. Without this a typo in an anchor drops that step's pause
 * silently (the transform finds no statement to pause before), and the run
 * fails steps later with an error of the app's, far from the cause.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { StepDefinition } from "./scenario-types.js";

/** The programs of a scenario folder as its files name them, relative to the folder. */
export interface ScenarioPrograms {
  readonly server: string;
  readonly client?: string;
  /** A cluster scenario's workers' program (`scenario.json` `cluster.worker`): its server steps may pause there too. */
  readonly worker?: string;
}

/** Reports a problem of `file` (`steps.json` or `scenario.json`) at field path `path`; never returns. */
export type ProgramProblem = (file: "steps.json" | "scenario.json", path: string, problem: string) => never;

/**
 * Checks that the programs of folder `dir` exist and that every step's anchor
 * appears in a program of its side. The pause is put before the statement
 * (Node) or line (Python) holding the anchor, so its text in the file is what
 * every runtime needs; `fail` names the file and the field.
 */
export function checkPrograms(dir: string, programs: ScenarioPrograms, steps: readonly StepDefinition[], fail: ProgramProblem): void {
  const text = (name: string, file: "steps.json" | "scenario.json", field: string): string => {
    const path = join(dir, name);
    if (!existsSync(path)) fail(file, field, `no file ${name} in the scenario's folder`);
    return readFileSync(path, "utf8");
  };
  const server = [{ name: programs.server, text: text(programs.server, "steps.json", "server") }];
  if (programs.worker !== undefined) server.push({ name: programs.worker, text: text(programs.worker, "scenario.json", "cluster.worker") });
  const client = programs.client !== undefined ? [{ name: programs.client, text: text(programs.client, "steps.json", "client") }] : [];
  steps.forEach((step, i) => {
    if (step.anchor === undefined || step.side === "none") return;
    const candidates = step.side === "server" ? server : client;
    if (!candidates.length) fail("steps.json", `steps[${i}].side`, `a client step needs a client program (client)`);
    if (!candidates.some((p) => p.text.includes(step.anchor!))) {
      fail("steps.json", `steps[${i}].anchor`, `${JSON.stringify(step.anchor)} is not in ${candidates.map((p) => p.name).join(" or ")}`);
    }
  });
}
