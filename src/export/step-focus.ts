/**
 * Which calls of a step are worth a source excerpt, as `package:Function.name`:
 * the `focus` lists of the built-in scenarios' `scenario.json`. Steps without
 * one (and any name that did not run) fall back to the step's first
 * top-level calls.
 */
import { builtInStepData } from "../trace/scenario.js";

/** Focus functions per step id, in the order they are shown. */
export const STEP_FOCUS: Readonly<Record<string, readonly string[]>> = builtInStepData((step) => step.focus);
