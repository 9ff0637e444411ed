/**
 * Checks on source lines: the line a call was made from (the caller's, as the
 * Python tracer records it) and the line above a function's declaration (the
 * branch it is defined in). The lines come through a reader, so evaluation
 * stays pure; a line nobody can read fails the check, naming why.
 */
import type { FunctionInfo } from "../trace/model.js";
import type { CalledFrom, LineReader, LineTest } from "../trace/claims-spec.js";
import { nameMatches, type CallIndex, type IndexedCall } from "./call-index.js";

/** True when `text` passes every field of `test`. */
export function lineOk(text: string | undefined, test: LineTest): boolean {
  if (text === undefined) return false;
  return (test.includes === undefined || text.includes(test.includes)) && (test.startsWith === undefined || text.startsWith(test.startsWith));
}

/** How a line test reads in a reason: `a line that starts with "run_server("`. */
export function describeLine(test: LineTest): string {
  const parts = [test.startsWith !== undefined ? `starts with ${JSON.stringify(test.startsWith)}` : "", test.includes !== undefined ? `includes ${JSON.stringify(test.includes)}` : ""];
  return `a line that ${parts.filter(Boolean).join(" and ")}`;
}

/** What a line check found: the calls that passed, or none and why. */
type LineCheckResult = { calls: IndexedCall[]; reason: string };

/** Line `line` of `file`, trimmed; undefined without a reader or when it cannot be read. */
function lineAt(read: LineReader | undefined, file: string, line: number): string | undefined {
  return read?.(file, line)?.trim();
}

/** The calls whose line passes `test`, as the check's result; undefined when none does. */
function passing(lines: readonly { call: IndexedCall; text?: string | undefined }[], test: LineTest): LineCheckResult | undefined {
  const hits = lines.filter((l) => lineOk(l.text, test));
  return hits.length ? { calls: hits.map((h) => h.call), reason: "" } : undefined;
}

/** The caller's line a call was made from, trimmed; undefined when the tracer did not record it or it cannot be read. */
function callLine(index: CallIndex, functions: ReadonlyMap<number, FunctionInfo>, call: IndexedCall, read: LineReader | undefined): { caller?: FunctionInfo; text?: string | undefined } {
  const parent = call.parent === undefined ? undefined : index.calls.get(call.parent);
  const caller = parent ? functions.get(parent.node.fn) : undefined;
  if (!caller || call.node.at === undefined) return { caller };
  return { caller, text: lineAt(read, caller.file, call.node.at) };
}

/** The calls among `candidates` made from a line that passes `from`; the reason when none was. */
export function calledFromLine(
  index: CallIndex,
  functions: ReadonlyMap<number, FunctionInfo>,
  name: string,
  candidates: readonly IndexedCall[],
  from: CalledFrom,
  read: LineReader | undefined,
): LineCheckResult {
  const byCaller = candidates.filter((c) => from.by === undefined || nameMatches(callLine(index, functions, c, undefined).caller, from.by));
  if (!byCaller.length) return { calls: [], reason: `${name} ran, but was not called by ${from.by}` };
  const lines = byCaller.map((c) => ({ call: c, ...callLine(index, functions, c, read) }));
  const passed = passing(lines, from);
  if (passed) return passed;
  const known = lines.filter((l) => l.text !== undefined);
  if (!known.length) return { calls: [], reason: `the line ${name} was called from is not known (${read ? "no call line recorded, or the file is unreadable" : "no source reader"})` };
  return { calls: [], reason: `${name} was called from ${known.map((l) => `\`${l.text}\``).join(", ")}, not ${describeLine(from)}` };
}

/** The calls among `candidates` whose function is declared just below a line that passes `test`. */
export function belowLine(
  functions: ReadonlyMap<number, FunctionInfo>,
  name: string,
  candidates: readonly IndexedCall[],
  test: LineTest,
  read: LineReader | undefined,
): LineCheckResult {
  const above = candidates.map((c) => {
    const fn = functions.get(c.node.fn);
    return { call: c, text: fn ? lineAt(read, fn.file, fn.line - 1) : undefined };
  });
  const passed = passing(above, test);
  if (passed) return passed;
  const known = above.find((a) => a.text !== undefined);
  return { calls: [], reason: known ? `${name} is declared below \`${known.text}\`, not ${describeLine(test)}` : `the line above ${name} cannot be read` };
}
