/**
 * Checks that parsed JSON really is a trace of the current schema, field by
 * field, and says what is wrong in one line with the path to it
 * (`steps[3].calls[0].children[2]: missing field fn`). Iterative over call
 * trees, which can be deep. Pure; unknown extra fields are allowed (additions
 * do not bump the schema version).
 */
import type { Trace, TurnRepeat } from "./model.js";
import { TurnList } from "./turn-list.js";
import { checkFunctions } from "./trace-validate-calls.js";
import { get, list, type Obj } from "./trace-validate-fields.js";
import { checkLogsAndDropped, checkMeta } from "./trace-validate-meta.js";
import { checkSteps } from "./trace-validate-steps.js";
import { checkChunks, checkConnections, checkLinks } from "./trace-validate-wire.js";

export { TraceFileError } from "./trace-validate-fields.js";

/**
 * Validates a parsed trace document of schema `version` (already checked to
 * be one this build reads) and returns it typed. Throws {@link TraceFileError}.
 */
export function validateTrace(document: Obj, version: number): Trace {
  checkMeta(get(document, "meta", undefined, false), version);
  const functions = checkFunctions(list(document, "functions", undefined));
  const chunkSeqs = checkChunks(list(document, "chunks", undefined));
  checkSteps(list(document, "steps", undefined), functions, chunkSeqs);
  checkConnections(document);
  checkLogsAndDropped(document);
  checkLinks(document);
  const { meta, functions: fns, connections, chunks, logs, dropped, links } = document;
  const steps = (document.steps as Obj[]).map(withTurnList);
  return { meta, functions: fns, steps, connections, chunks, logs, dropped, ...(links !== undefined ? { links } : {}) } as unknown as Trace;
}

/** A checked step with its `turns` list read into columns (`Step.turns`), in seq order as the readers search them. */
function withTurnList(step: Obj): Obj {
  if (step.turns === undefined) return step;
  const turns = [...(step.turns as TurnRepeat[])].sort((a, b) => a.seq - b.seq);
  return { ...step, turns: TurnList.from(turns) };
}
