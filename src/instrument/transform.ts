/**
 * The load-time transform: parses a JavaScript file with acorn and makes every
 * function report its entry and exit to the recorder.
 *
 * Why a source transform rather than wrapping exports: closures (the `request`
 * listener engine.io installs, timer callbacks) are never exported, and the
 * call path must show them. Why insertions only: no line moves, so stack traces
 * and the recorded `file:line` stay those of the installed file; parameters and
 * names are untouched, so `fn.length` and `fn.name` are too; `try/finally`
 * neither swallows nor adds exceptions; nothing is deferred.
 */
import { parse } from "acorn";
import type { FunctionKind } from "../trace/model.js";
import { applyInsertions, type Insertion } from "./insertions.js";
import { className, memberText, nameFunction, slotVariable, type AstNode } from "./naming.js";

/** The global the transformed code reports to. */
export const RECORDER_GLOBAL = "__traceSocketRecorder";

/** Local name of the recorder inside transformed modules. */
const R = "__tsR";

/** A function found in a file, before it is given a global id. */
export interface FoundFunction {
  readonly name: string;
  readonly kind: FunctionKind;
  readonly line: number;
  readonly column: number;
  readonly endLine: number;
  readonly className?: string;
  readonly member?: string;
  readonly enclosing?: string;
  readonly generated?: boolean;
  /** Async functions and generators suspend; their resumptions are recorded separately. */
  readonly suspends?: boolean;
  /** Set for `X.prototype[fn] = function`: each member it fills is named when it runs (`ek`). */
  readonly slot?: boolean;
}

/** Result of transforming one file. */
export interface TransformResult {
  readonly code: string;
  readonly functions: readonly FoundFunction[];
  /** Set when the file could not be parsed; `code` is then the original. */
  readonly error?: string;
  /** What was inserted, as [offset in the source, length]: to move a source map of the source onto `code`. */
  readonly inserted?: readonly (readonly [number, number])[];
}

/** Options for {@link transformSource}. */
export interface TransformOptions {
  readonly sourceType: "script" | "module";
  /** Id of the file's first function; ids are literals so a function's source names its id. */
  readonly idBase: number;
  /** More insertions to apply in the same pass (e.g. step pauses). */
  readonly extra?: (program: AstNode) => readonly Insertion[];
  /** How top-level closures are placed: `<anonymous … in index.js>`. */
  readonly moduleName?: string;
  /** Apply only `extra`: leave every function as it is. */
  readonly pausesOnly?: boolean;
  /** Return what was inserted (`inserted`), to move a source map along: compiled files only. */
  readonly reportInsertions?: boolean;
  /** Code placed right after the module header, e.g. the registration of the function table. */
  readonly header?: (functions: readonly FoundFunction[]) => string;
}

const FUNCTION_TYPES = new Set(["FunctionDeclaration", "FunctionExpression", "ArrowFunctionExpression"]);
const HEADER = `var ${R}=globalThis.${RECORDER_GLOBAL}||{e(){},x(){},sx(i,v){return v},r(i,v){return v},rc(){},ek(){},xk(){}};`;

interface Frame {
  readonly name: string;
  readonly id: number;
  readonly className?: string;
  readonly suspends?: boolean;
  /** Where functions nested in this one are (naming's `place`). */
  readonly place?: string;
  /** The nearest named function, this one included: what nested closures call their `enclosing`. */
  readonly named?: string;
}

function isNode(value: unknown): value is AstNode {
  return typeof value === "object" && value !== null && typeof (value as AstNode).type === "string";
}

function childrenOf(node: AstNode): AstNode[] {
  const out: AstNode[] = [];
  for (const key in node) {
    if (key === "loc" || key === "type") continue;
    const value = node[key];
    if (Array.isArray(value)) {
      for (const item of value) if (isNode(item)) out.push(item);
    } else if (isNode(value)) {
      out.push(value);
    }
  }
  return out;
}

function line(node: AstNode, which: "start" | "end"): { line: number; column: number } {
  const loc = node.loc as { start: { line: number; column: number }; end: { line: number; column: number } };
  return loc[which];
}

/** Where code may go after a body's directive prologue ("use strict"), and what must come first there. */
interface AfterDirectives {
  readonly at: number;
  /** `;` when the last directive ends by ASI: `"use strict"` then `var …` on one line is a syntax error. */
  readonly lead: string;
}

/**
 * The place after the directive prologue of a body: inserted code must never come before
 * a directive, or `"use strict"` becomes a plain string and the file runs sloppy.
 */
function afterDirectives(source: string, statements: readonly AstNode[], fallback: number): AfterDirectives {
  let at = fallback;
  let lead = "";
  for (const statement of statements) {
    if (statement.type !== "ExpressionStatement" || typeof statement.directive !== "string") break;
    at = statement.end;
    lead = source[statement.end - 1] === ";" ? "" : ";";
  }
  return { at, lead };
}

function isGenerated(ancestors: readonly AstNode[]): boolean {
  for (let i = 0; i < ancestors.length; i++) {
    const node = ancestors[i];
    if (i === 1 && node.type === "VariableDeclaration") {
      const declarator = ancestors[2];
      const id = declarator?.id as AstNode | undefined;
      if (id?.type === "Identifier" && (id.name as string).startsWith("__")) return true;
    }
    if (node.type === "CallExpression" && memberText(node.callee as AstNode) === "Object.defineProperty") {
      const target = (node.arguments as AstNode[])[0];
      if (target?.type === "Identifier" && target.name === "exports") return true;
    }
  }
  return false;
}

/**
 * Instruments every function of `source`. On a parse error the source is
 * returned unchanged with `error` set: tracing must never break loading.
 */
export function transformSource(source: string, options: TransformOptions): TransformResult {
  let program: AstNode;
  try {
    program = parse(source, {
      ecmaVersion: "latest",
      sourceType: options.sourceType,
      locations: true,
      preserveParens: true,
      allowHashBang: true,
      allowReturnOutsideFunction: options.sourceType === "script",
    }) as unknown as AstNode;
  } catch (error) {
    return { code: source, functions: [], error: (error as Error).message };
  }

  const functions: FoundFunction[] = [];
  const insertions: Insertion[] = [];
  const ancestors: AstNode[] = [];
  const frames: Frame[] = [];

  const instrumentFunction = (fn: AstNode, depth: number): Frame => {
    const named = ancestors.filter((a) => a.type !== "ParenthesizedExpression");
    const enclosing = frames.length > 0 ? frames[frames.length - 1] : undefined;
    const enclosingClass = [...frames].reverse().find((f) => f.className)?.className;
    const naming = nameFunction(fn, named, enclosing?.place, enclosingClass, options.moduleName);
    const id = options.idBase + functions.length;
    const suspends = Boolean(fn.async || fn.generator);
    // Not for suspending functions: their awaits report the shared id.
    const slot = naming.className !== undefined && !suspends ? slotVariable(fn, named) : undefined;
    // A method starts at its name (`static`, `async`, `get` included), as the source index sees it.
    const holder = named[named.length - 1];
    const method = holder?.type === "MethodDefinition" || (holder?.type === "Property" && (holder.method || holder.kind !== "init"));
    const start = fn.type === "FunctionExpression" && method ? holder : fn;
    functions.push({
      name: naming.name,
      kind: naming.kind,
      line: line(start, "start").line,
      column: line(start, "start").column + 1,
      endLine: line(fn, "end").line,
      className: naming.className,
      member: naming.member,
      enclosing: naming.anonymous || naming.kind === "closure" ? enclosing?.named : undefined,
      generated: isGenerated(named) || undefined,
      suspends: suspends || undefined,
      slot: slot !== undefined || undefined,
    });
    const body = fn.body as AstNode;
    const enter = slot !== undefined ? `${R}.ek(${id},${slot});try{` : `${R}.e(${id});try{`;
    const exit = slot !== undefined ? `}finally{${R}.xk(${id},${slot})}` : `}finally{${R}.x(${id})}`;
    if (body.type === "BlockStatement") {
      const { at, lead } = afterDirectives(source, body.body as AstNode[], body.start + 1);
      if (at === body.end - 1) {
        // Nothing between the braces: one insertion, so no sort can split enter from exit.
        insertions.push({ at, text: lead + enter + exit, side: "open", depth });
      } else {
        insertions.push({ at, text: lead + enter, side: "open", depth });
        insertions.push({ at: body.end - 1, text: exit, side: "close", depth });
      }
    } else {
      insertions.push({ at: body.start, text: `{${enter}return (`, side: "open", depth });
      insertions.push({ at: body.end, text: `)${exit}}`, side: "close", depth });
    }
    const ownNamed = naming.anonymous ? enclosing?.named : naming.name;
    return { name: naming.name, id, className: naming.className, suspends, place: naming.place, named: ownNamed };
  };

  // A rejected await (or a generator's throw()/return()) resumes its function in a catch or
  // finally block without passing the `r` around the await: the block restores the frame.
  const resumeAt = (block: AstNode | null | undefined, depth: number): void => {
    const owner = [...frames].reverse().find((f) => f.id >= 0);
    if (block?.type === "BlockStatement" && owner?.suspends) {
      insertions.push({ at: block.start + 1, text: `${R}.rc(${owner.id});`, side: "open", depth });
    }
  };

  const visit = (node: AstNode, depth: number): void => {
    let pushedFrame = false;
    if (FUNCTION_TYPES.has(node.type)) {
      frames.push(instrumentFunction(node, depth));
      pushedFrame = true;
    } else if (node.type === "ClassDeclaration" || node.type === "ClassExpression") {
      const cls = className(node, ancestors[ancestors.length - 1]);
      if (cls) frames.push({ name: cls, id: -1, className: cls, place: cls, named: cls });
      pushedFrame = Boolean(cls);
    } else if (node.type === "CatchClause") {
      resumeAt(node.body as AstNode, depth + 1);
    } else if (node.type === "TryStatement") {
      resumeAt(node.finalizer as AstNode | null, depth + 1);
    } else if ((node.type === "AwaitExpression" || node.type === "YieldExpression") && frames.length > 0) {
      const owner = [...frames].reverse().find((f) => f.id >= 0);
      if (owner) {
        const argument = node.argument as AstNode | null;
        insertions.push({ at: node.start, text: `${R}.r(${owner.id},`, side: "open", depth });
        if (argument) {
          insertions.push({ at: argument.start, text: ` ${R}.sx(${owner.id},`, side: "open", depth: depth + 1 });
          insertions.push({ at: argument.end, text: ")", side: "close", depth: depth + 1 });
        } else {
          insertions.push({ at: node.end, text: ` ${R}.sx(${owner.id},undefined)`, side: "close", depth: depth + 1 });
        }
        insertions.push({ at: node.end, text: ")", side: "close", depth });
      }
    }
    ancestors.push(node);
    for (const child of childrenOf(node)) visit(child, depth + 1);
    ancestors.pop();
    if (pushedFrame) frames.pop();
  };

  const extra = options.extra ? options.extra(program) : [];
  if (options.pausesOnly) return { code: applyInsertions(source, extra), functions };
  visit(program, 0);
  const programBody = program.body as AstNode[];
  const { at, lead } = afterDirectives(source, programBody, programBody[0]?.start ?? program.end);
  insertions.push({
    at,
    text: lead + HEADER + (options.header ? options.header(functions) : ""),
    side: "open",
    depth: -1,
  });
  insertions.push(...extra);
  const code = applyInsertions(source, insertions);
  return options.reportInsertions ? { code, functions, inserted: insertions.map((i) => [i.at, i.text.length] as const) } : { code, functions };
}
