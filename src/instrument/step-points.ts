/**
 * Step pauses for the built-in scenario: before each top-level statement that
 * starts a step, the scenario's module awaits the runner. Only insertions, on
 * the statement's own line, so the line shown for a step is the real one.
 */
import type { Insertion } from "./insertions.js";
import type { AstNode } from "./naming.js";

/** The global a paused scenario module awaits. */
export const PAUSE_GLOBAL = "__traceSocketPause";

/** Where a step starts: the first statement (after the previous step's) whose text contains `anchor`. */
export interface StepAnchor {
  readonly step: number;
  readonly anchor: string;
}

/** A pause the transform placed. */
export interface PausePoint {
  readonly step: number;
  readonly line: number;
}

function declaredNames(statement: AstNode): string[] {
  switch (statement.type) {
    case "VariableDeclaration":
      return (statement.declarations as AstNode[])
        .map((d) => d.id as AstNode)
        .filter((id) => id.type === "Identifier")
        .map((id) => id.name as string);
    case "FunctionDeclaration":
    case "ClassDeclaration":
      return statement.id ? [(statement.id as AstNode).name as string] : [];
    case "ImportDeclaration":
      return (statement.specifiers as AstNode[]).map((s) => (s.local as AstNode).name as string);
    default:
      return [];
  }
}

/**
 * Finds the statements that start steps and returns the insertions that pause
 * before them. Each pause passes the bindings declared so far, so the runner
 * can look at the live objects (servers, their listeners, their options).
 */
export function pauseInsertions(
  program: AstNode,
  source: string,
  anchors: readonly StepAnchor[],
  found: PausePoint[],
): Insertion[] {
  const statements = program.body as AstNode[];
  const insertions: Insertion[] = [];
  const names: string[] = [];
  let from = 0;
  for (const { step, anchor } of anchors) {
    for (let i = from; i < statements.length; i++) {
      const statement = statements[i];
      if (!source.slice(statement.start, statement.end).includes(anchor)) continue;
      for (let j = from; j < i; j++) names.push(...declaredNames(statements[j]));
      const bindings = names.length ? `()=>({${names.join(",")}})` : "()=>({})";
      insertions.push({ at: statement.start, text: `await globalThis.${PAUSE_GLOBAL}(${step},${bindings});`, side: "open", depth: -2 });
      const loc = statement.loc as { start: { line: number } };
      found.push({ step, line: loc.start.line });
      from = i;
      break;
    }
  }
  return insertions;
}
