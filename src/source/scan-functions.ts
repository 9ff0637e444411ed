/**
 * Lists every function of a parsed file — declarations, methods, constructors,
 * accessors, closures — with its range, identity and doc comment.
 */
import type { Node as TsNode, SourceFile } from "ts-morph";
import { parseDocComment } from "./doc-comment.js";
import { createFunctionNamer } from "./function-names.js";
import type { TsMorphModule } from "./ts-morph-loader.js";
import type { DocComment, IndexedClass, IndexedFunction } from "./types.js";

/** The functions and classes of one file, sorted by position. */
export interface FileScan {
  readonly functions: readonly IndexedFunction[];
  readonly classes: readonly IndexedClass[];
}

/** The last `/** … *\/` comment directly before a node, parsed. */
export function leadingDoc(node: TsNode): DocComment | undefined {
  const docs = node.getLeadingCommentRanges().filter((range) => range.getText().startsWith("/**"));
  const last = docs.at(-1);
  return last ? parseDocComment(last.getText()) : undefined;
}

/** Where a function expression's doc comment sits: on the statement that binds it. */
function docAnchor(tsm: TsMorphModule, node: TsNode): TsNode | undefined {
  const { Node } = tsm;
  if (!Node.isFunctionExpression(node) && !Node.isArrowFunction(node)) return node;
  let child: TsNode = node;
  let parent = node.getParent();
  while (parent && Node.isParenthesizedExpression(parent)) {
    child = parent;
    parent = parent.getParent();
  }
  if (!parent) return undefined;
  if (Node.isVariableDeclaration(parent)) return parent.getVariableStatement();
  if (Node.isBinaryExpression(parent) && parent.getRight() === child) {
    const statement = parent.getParent();
    return statement && Node.isExpressionStatement(statement) ? statement : undefined;
  }
  if (Node.isPropertyAssignment(parent) || Node.isPropertyDeclaration(parent)) return parent;
  return undefined;
}

/**
 * Where a function starts as a recorder sees it: `export` and `export default`
 * wrap the declaration rather than begin it (acorn puts the function at
 * `function`), while `async` and `static` belong to it.
 */
function declarationStart(node: TsNode, text: string): number {
  const start = node.getStart();
  const exported = /^export\s+(?:default\s+)?/.exec(text.slice(start, start + 40));
  return exported ? start + exported[0].length : start;
}

/** Scans one parsed file. */
export function scanFunctions(tsm: TsMorphModule, file: SourceFile): FileScan {
  const namer = createFunctionNamer(tsm);
  const functions: IndexedFunction[] = [];
  const classes: IndexedClass[] = [];
  const text = file.getFullText();
  file.forEachDescendant((node) => {
    if (tsm.Node.isClassDeclaration(node) || tsm.Node.isClassExpression(node)) {
      const name = node.getName();
      if (name) classes.push({ name, line: node.getStartLineNumber(), endLine: node.getEndLineNumber() });
      return;
    }
    if (!namer.isFunction(node)) return;
    const { line, column } = file.getLineAndColumnAtPos(declarationStart(node, text));
    const anchor = docAnchor(tsm, node);
    const doc = anchor ? leadingDoc(anchor) : undefined;
    functions.push({
      ...namer.identify(node),
      line,
      column,
      endLine: node.getEndLineNumber(),
      ...(doc && { doc }),
    });
  });
  functions.sort((a, b) => a.line - b.line || a.column - b.column);
  return { functions, classes };
}
