/**
 * Which docstrings each step of a Python scenario quotes: the `pythonDocs` of
 * the built-in scenarios' `scenario.json`, the Python counterpart of the
 * `docs` lists in `steps.json`. Chosen from a trace of the scenario (the
 * report says so when a method listed no longer runs in its step) and from
 * the options the app passes, plus the ones the steps' narration turns on.
 */
import { builtInStepData, type StepDocRefs } from "../../trace/scenario.js";

export type { OptionRef, StepDocRefs } from "../../trace/scenario.js";

/** Per step id. */
export const FLASK_STEP_DOCS: Readonly<Record<string, StepDocRefs>> = builtInStepData((step) => step.pythonDocs);

/** Every name the catalogue asks the helper about, once each. */
export const DOC_NAMES: readonly string[] = [
  ...new Set(Object.values(FLASK_STEP_DOCS).flatMap((refs) => [...refs.methods, ...refs.options.flatMap((o) => o.owners)])),
];
