/**
 * A scenario: a server program, an optional client script, the steps that
 * walk through them and everything else particular to it, read from its
 * folder (`traces/<name>/steps.json` and the optional `scenario.json`) and
 * checked against the schemas in `traces/` (see `traces/SCHEMA.md`). The code
 * knows no scenario by name: the default one says so in its own data.
 */
import { loadClaims } from "./claims-file.js";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, isAbsolute, join, relative, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { checkSchema, type JsonSchema } from "./json-schema.js";
import { checkFrameMatch, ClaimsFileError } from "./claims-validate.js";
import { checkPrograms } from "./scenario-programs.js";
import type { ClaimsFile } from "./claims-spec.js";
import type { StepSide, StepDefinition, LinkRepo, ScenarioDefinition, ServersDefinition } from "./scenario-types.js";

export type * from "./scenario-types.js";

/** A scenario folder whose files break their schema; the message names the file and the field. */
export class ScenarioFileError extends Error {
  override readonly name = "ScenarioFileError";
}

/** The trace-socket package root (where `traces/` and `node_modules/` are). */
export const PACKAGE_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");

/**
 * The project trace-socket is installed in, which the built-in scenarios'
 * paths are relative to (`node_modules/socket.io/…` beside
 * `node_modules/trace-socket/traces/…`); in a clone, the package root itself.
 */
export const INSTALL_ROOT = installRoot(PACKAGE_ROOT);

/**
 * The folder above the outermost `node_modules` of a path
 * (`/p/node_modules/trace-socket` → `/p`, nested and pnpm layouts alike), or
 * the path itself when no `node_modules` holds it. Pure.
 */
export function installRoot(dir: string): string {
  const parts = resolve(dir).split(sep);
  const at = parts.indexOf("node_modules");
  return at < 0 ? resolve(dir) : parts.slice(0, at).join(sep) || sep;
}

interface ScenarioExtras {
  readonly default?: boolean;
  readonly summary?: string;
  readonly runtime?: "node" | "python";
  readonly counterparts?: Record<string, string>;
  readonly linkRepos?: Record<string, LinkRepo>;
  readonly steps?: Record<string, Pick<StepDefinition, "listeners" | "focus" | "links" | "pythonDocs">>;
  readonly servers?: ServersDefinition;
  readonly cluster?: { readonly worker: string; readonly workers: number };
}

const schemas = new Map<string, JsonSchema>();

function shownPath(file: string): string {
  const inside = relative(PACKAGE_ROOT, file);
  return inside.startsWith("..") || isAbsolute(inside) ? file : inside.replaceAll("\\", "/");
}

function readChecked<T>(file: string, schemaName: string): T {
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(file, "utf8"));
  } catch (error) {
    throw new ScenarioFileError(`${shownPath(file)}: ${(error as Error).message.split("\n")[0]}`);
  }
  let schema = schemas.get(schemaName);
  if (!schema) schemas.set(schemaName, (schema = JSON.parse(readFileSync(join(PACKAGE_ROOT, "traces", schemaName), "utf8")) as JsonSchema));
  const problem = checkSchema(value, schema);
  if (problem) throw new ScenarioFileError(`${shownPath(file)}: ${problem.path ? `${problem.path}: ` : ""}${problem.problem}`);
  return value as T;
}

/** Cross-references the schema cannot express: step ids and link repositories. */
function checkReferences(file: string, extras: ScenarioExtras, ids: ReadonlySet<string>): void {
  const fail = (path: string, problem: string): never => {
    throw new ScenarioFileError(`${shownPath(file)}: ${path}: ${problem}`);
  };
  for (const [key, repo] of Object.entries(extras.linkRepos ?? {})) if (!repo.url.includes(`/${repo.commit}/`)) fail(`linkRepos.${key}.url`, `does not pin commit ${repo.commit}`);
  for (const [id, step] of Object.entries(extras.steps ?? {})) {
    if (!ids.has(id)) fail(`steps.${id}`, `no step ${id} in steps.json`);
    (step.links ?? []).forEach((link, i) => {
      if (!extras.linkRepos?.[link.repo]) fail(`steps.${id}.links[${i}].repo`, `no repository ${link.repo} in linkRepos`);
    });
  }
}

/**
 * Client actions the schema cannot judge: an action belongs to a step that
 * runs no code (a stopped client cannot be told to continue), a freeze needs
 * the frame that ends it, and nothing of the client runs after a kill.
 */
function checkActions(file: string, steps: readonly StepDefinition[]): void {
  const fail = (path: string, problem: string): never => {
    throw new ScenarioFileError(`${shownPath(file)}: ${path}: ${problem}`);
  };
  let killedAt: number | undefined;
  steps.forEach((step, i) => {
    if (step.until !== undefined) checkFrameMatch(step.until, `steps[${i}].until`, fail);
    if (killedAt !== undefined && (step.side === "client" || step.action)) fail(`steps[${i}]`, `the client was killed in steps[${killedAt}]: no client step can follow`);
    if (!step.action) return;
    if (step.side !== "none") fail(`steps[${i}].action`, `an action runs in a step of side "none", not "${step.side}"`);
    if (step.action === "freeze" && !step.until) fail(`steps[${i}].until`, "a freeze needs the frame that ends it (until)");
    if (step.action === "kill") killedAt = i;
  });
}

/**
 * The folder's claims, if it has a claims.json. A broken one is a broken
 * scenario folder like any other file of it (one line naming the file and
 * the field, exit 2), not an unexpected error with a stack.
 */
function claimsOf(dir: string): ClaimsFile | undefined {
  try {
    return loadClaims(dir, shownPath(join(dir, "claims.json")));
  } catch (error) {
    if (error instanceof ClaimsFileError) throw new ScenarioFileError(error.message, { cause: error });
    throw error;
  }
}

/** Loads the scenario in folder `dir`, checked against the schemas. Throws `ScenarioFileError`. */
export function loadScenarioDir(dir: string): ScenarioDefinition {
  const raw = readChecked<Omit<ScenarioDefinition, "server" | "client"> & { server: string; client?: string }>(join(dir, "steps.json"), "steps.schema.json");
  const extrasFile = join(dir, "scenario.json");
  const extras = existsSync(extrasFile) ? readChecked<ScenarioExtras>(extrasFile, "scenario.schema.json") : {};
  checkReferences(extrasFile, extras, new Set(raw.steps.map((s) => s.id)));
  const claims = claimsOf(dir);
  checkActions(join(dir, "steps.json"), raw.steps);
  checkPrograms(dir, { server: raw.server, ...(raw.client !== undefined && { client: raw.client }), ...(extras.cluster && { worker: extras.cluster.worker }) }, raw.steps, (file, path, problem) => {
    throw new ScenarioFileError(`${shownPath(join(dir, file))}: ${path}: ${problem}`);
  });
  raw.steps.forEach((step, i) => {
    // Every step says something: its claims, or else a narration of its own.
    if (step.explanation === undefined && !claims?.[step.id]?.length) {
      throw new ScenarioFileError(`${shownPath(join(dir, "steps.json"))}: steps[${i}].explanation: step ${step.id} has neither an explanation nor claims in claims.json`);
    }
  });
  return {
    ...raw,
    server: join(dir, raw.server),
    client: raw.client ? join(dir, raw.client) : undefined,
    steps: raw.steps.map((step) => ({ ...step, ...extras.steps?.[step.id] })),
    ...(extras.runtime && { runtime: extras.runtime }),
    ...(extras.default && { default: true }),
    ...(extras.summary !== undefined && { summary: extras.summary }),
    ...(extras.counterparts && { counterparts: extras.counterparts }),
    ...(extras.linkRepos && { linkRepos: extras.linkRepos }),
    ...(extras.servers && { servers: extras.servers }),
    ...(extras.cluster && { cluster: { ...extras.cluster, worker: join(dir, extras.cluster.worker) } }),
    ...(claims && { claims }),
  };
}

/** The built-in scenarios, every folder of `traces/` with a `steps.json`. */
export function builtInScenarios(root: string = PACKAGE_ROOT): ScenarioDefinition[] {
  const traces = join(root, "traces");
  return readdirSync(traces, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(join(traces, entry.name, "steps.json")))
    .map((entry) => entry.name)
    .sort()
    .map((name) => loadScenarioDir(join(traces, name)));
}

/**
 * Loads a scenario: a built-in one by name, a folder by path (anything with a
 * path separator), or with no name the built-in scenario marked `default`.
 */
export function loadScenario(name?: string, root: string = PACKAGE_ROOT): ScenarioDefinition {
  if (name === undefined) {
    const found = builtInScenarios(root).find((s) => s.default);
    if (!found) throw new ScenarioFileError(`${shownPath(join(root, "traces"))}: no scenario.json says "default": true`);
    return found;
  }
  if (name.includes("/") || name.includes(sep)) return loadScenarioDir(resolve(name));
  return loadScenarioDir(join(root, "traces", name));
}

/** The scenario that shows `scenario` on another server (`--server` value), e.g. the default one on Flask. */
export function loadCounterpart(scenario: ScenarioDefinition, server: string, root: string = PACKAGE_ROOT): ScenarioDefinition {
  const name = scenario.counterparts?.[server];
  if (!name) throw new ScenarioFileError(`scenario ${scenario.name} has no counterpart on ${server} (counterparts in its scenario.json)`);
  return loadScenario(name, root);
}

/** The pause anchors of one side, numbered by step index. */
export function anchorsFor(scenario: ScenarioDefinition, side: StepSide): { readonly step: number; readonly anchor: string }[] {
  return scenario.steps.flatMap((step, index) => (step.side === side && step.anchor ? [{ step: index, anchor: step.anchor }] : []));
}

/**
 * Fills `{name}` placeholders with this run's values. One the run never showed (no handshake,
 * so no sid) says so in words: a template's braces are never printed as if they were a value.
 */
export function narrate(template: string, values: Readonly<Record<string, string>>): string {
  return template.replace(/\{(\w+)\}/g, (_whole, key: string) => values[key] ?? "(none in this run)");
}

const builtIn = new Map<string, ScenarioDefinition[]>();

/** The built-in scenarios, read once per root. */
function scenariosIn(root: string): ScenarioDefinition[] {
  let scenarios = builtIn.get(root);
  if (!scenarios) builtIn.set(root, (scenarios = builtInScenarios(root)));
  return scenarios;
}

/**
 * Something every built-in scenario may say of its steps, by step id (the
 * first scenario by name that says it wins): what the renderers look up for
 * a step of whichever trace they are given, replayed ones included.
 */
export function builtInStepData<T>(pick: (step: StepDefinition, scenario: ScenarioDefinition) => T | undefined, root: string = PACKAGE_ROOT): Record<string, T> {
  const out: Record<string, T> = {};
  for (const scenario of scenariosIn(root)) {
    for (const step of scenario.steps) {
      const value = pick(step, scenario);
      if (value !== undefined && !(step.id in out)) out[step.id] = value;
    }
  }
  return out;
}

/** The pinned files of every built-in scenario's `linkRepos`, by key (the first scenario by name wins). */
export function builtInLinkRepos(root: string = PACKAGE_ROOT): Record<string, LinkRepo> {
  const out: Record<string, LinkRepo> = {};
  for (const scenario of scenariosIn(root)) for (const [key, repo] of Object.entries(scenario.linkRepos ?? {})) out[key] ??= repo;
  return out;
}
