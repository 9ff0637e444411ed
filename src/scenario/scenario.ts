/**
 * A scenario: a server module, an optional client script, and the steps that
 * walk through them, read from `traces/<name>/steps.json`.
 */
import { readFileSync } from "node:fs";
import { dirname, join, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import type { StepAnchor } from "../instrument/step-points.js";
import type { UserCode } from "../trace/model.js";

/** Which process runs a step's user code. */
export type StepSide = "server" | "client" | "none";

/** What a step waits for on the wire before it counts as done. */
export type WaitFor = "upgrade" | "pong" | "close";

/** One step as the scenario declares it. */
export interface StepDefinition {
  readonly id: string;
  readonly title: string;
  readonly side: StepSide;
  /** Text of the first top-level statement of the step's code. */
  readonly anchor?: string;
  readonly waitFor?: WaitFor;
  /** Narration with `{placeholders}` for live values. */
  readonly explanation: string;
  /** Options and methods whose doc comments the step quotes. */
  readonly docs: { readonly options: readonly string[]; readonly methods: readonly string[] };
  /** The Flask-SocketIO counterpart, in the project's words. */
  readonly flask: string;
  /** The user's code, when it is known up front rather than found from an anchor. */
  readonly code?: UserCode;
}

/** A scenario ready to run. */
export interface ScenarioDefinition {
  readonly name: string;
  readonly title: string;
  /** Absolute paths. */
  readonly server: string;
  readonly client?: string;
  readonly steps: readonly StepDefinition[];
}

/** The trace-socket package root (where `dist/`, `traces/` and `src/flask/` are). */
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

/** Loads a built-in scenario by name. */
export function loadScenario(name: string, root: string = PACKAGE_ROOT): ScenarioDefinition {
  const dir = join(root, "traces", name);
  const raw = JSON.parse(readFileSync(join(dir, "steps.json"), "utf8")) as Omit<ScenarioDefinition, "server" | "client"> & {
    server: string;
    client?: string;
  };
  return {
    ...raw,
    server: join(dir, raw.server),
    client: raw.client ? join(dir, raw.client) : undefined,
  };
}

/** The pause anchors of one side, numbered by step index. */
export function anchorsFor(scenario: ScenarioDefinition, side: StepSide): StepAnchor[] {
  return scenario.steps.flatMap((step, index) => (step.side === side && step.anchor ? [{ step: index, anchor: step.anchor }] : []));
}

/** Fills `{name}` placeholders; unknown ones stay visible as `{name}` rather than vanish. */
export function narrate(template: string, values: Readonly<Record<string, string>>): string {
  return template.replace(/\{(\w+)\}/g, (whole, key: string) => values[key] ?? whole);
}
