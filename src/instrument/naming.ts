/**
 * Readable names for functions found by parsing, so that a call path reads like
 * the source: `Server.attach`, `attach`, `<anonymous request listener in Server.attach>`.
 *
 * Names come only from the syntax around a function; nothing is looked up in a
 * table of known socket.io names, so they stay right across versions.
 */
import type { FunctionKind } from "../trace/model.js";

/** The acorn node shape this module reads; kept loose so acorn's own types need not leak. */
export interface AstNode {
  readonly type: string;
  readonly start: number;
  readonly end: number;
  readonly [key: string]: unknown;
}

/** What naming found out about a function. */
export interface FunctionName {
  readonly name: string;
  readonly kind: FunctionKind;
  readonly className?: string;
  readonly member?: string;
  /** Set when the name is a place (closure) rather than a declared name. */
  readonly anonymous: boolean;
  /**
   * How functions nested in this one say where they are: a member's or a
   * top-level function's name, `callback in Server.handleRequest` for a named
   * closure, the enclosing place for an anonymous one (undefined at top level).
   */
  readonly place: string | undefined;
}

/** Methods whose function argument is an event listener, named after the event (shared with the source index, which must name alike). */
export const LISTENER_METHODS: ReadonlySet<string> = new Set([
  "on",
  "once",
  "addListener",
  "prependListener",
  "prependOnceListener",
  "addEventListener",
]);

/** Name of a property key, when it is static. */
export function keyName(key: AstNode | undefined, computed: unknown): string | undefined {
  if (!key) return undefined;
  if (key.type === "Identifier") return computed ? `[${key.name as string}]` : (key.name as string);
  if (key.type === "PrivateIdentifier") return `#${key.name as string}`;
  if (key.type === "Literal") return String(key.value);
  if (computed && key.type === "MemberExpression") return `[${memberText(key) ?? "computed"}]`;
  return undefined;
}

/** `a.b.c` for a member-expression chain of identifiers, `this` included. */
export function memberText(node: AstNode | undefined): string | undefined {
  if (!node) return undefined;
  if (node.type === "Identifier") return node.name as string;
  if (node.type === "ThisExpression") return "this";
  if (node.type === "MemberExpression") {
    const object = memberText(node.object as AstNode);
    const property = keyName(node.property as AstNode, node.computed);
    if (object === undefined || property === undefined) return undefined;
    return `${object}.${property}`;
  }
  return undefined;
}

/** Class name of a class node, from its id or the variable it is assigned to. */
export function className(classNode: AstNode, parent: AstNode | undefined): string | undefined {
  const id = classNode.id as AstNode | null;
  if (id) return id.name as string;
  if (parent?.type === "VariableDeclarator") return (parent.id as AstNode).name as string;
  if (parent?.type === "AssignmentExpression") return memberText(parent.left as AstNode)?.split(".").pop();
  return undefined;
}

/** Names an assignment target: `X.prototype.m` → class X, member m. */
function fromAssignment(left: AstNode, enclosingClass: string | undefined): Pick<FunctionName, "name" | "className" | "member"> | undefined {
  const text = memberText(left);
  if (!text) return undefined;
  const parts = text.split(".");
  const member = parts[parts.length - 1];
  const protoAt = parts.indexOf("prototype");
  if (protoAt > 0) {
    const cls = parts[protoAt - 1];
    // `X.prototype[fn] = function` (a loop defining delegates) reads best as `X[fn]`.
    return { name: member.startsWith("[") ? `${cls}${member}` : `${cls}.${member}`, className: cls, member };
  }
  if (parts[0] === "this" && parts.length === 2 && enclosingClass) {
    return { name: member.startsWith("[") ? `${enclosingClass}${member}` : `${enclosingClass}.${member}`, className: enclosingClass, member };
  }
  if ((parts[0] === "exports" || parts[0] === "module") && parts.length >= 2) {
    return text === "module.exports" ? { name: "module.exports", member: "exports" } : { name: member, member };
  }
  return { name: text, member };
}

function unparenthesized(node: AstNode): AstNode {
  return node.type === "ParenthesizedExpression" ? unparenthesized(node.expression as AstNode) : node;
}

/** The last name of a callee: `(0, timers_1.setTimeout)`, `http.createServer` and `setTimeout` give the last part. */
function calleeName(callee: AstNode): string | undefined {
  if (callee.type === "ParenthesizedExpression") return calleeName(callee.expression as AstNode);
  if (callee.type === "SequenceExpression") {
    const parts = callee.expressions as AstNode[];
    return calleeName(parts[parts.length - 1]!);
  }
  if (callee.type === "MemberExpression") {
    // `fns[i](…)` names no method; `obj["on"](…)` does.
    const property = callee.property as AstNode;
    return callee.computed && property.type !== "Literal" ? undefined : keyName(property, callee.computed);
  }
  return memberText(callee);
}

/** What a callback is for, from the call it is passed to: `request listener`, `setTimeout callback`, `Promise executor`. */
function callbackRole(call: AstNode): string {
  const method = calleeName(call.callee as AstNode);
  if (call.type === "NewExpression") return method === "Promise" ? "Promise executor" : `${method ?? "constructor"} callback`;
  const args = call.arguments as AstNode[];
  const first = args[0];
  if (method && LISTENER_METHODS.has(method) && first?.type === "Literal" && typeof first.value === "string") {
    return `${first.value} listener`;
  }
  if (method) return `${method} callback`;
  return "callback";
}

/** A name that is a place in its own right: `callback in Server.handleRequest`, or the plain name at top level. */
function placed(name: string, where: string | undefined): string {
  return where === undefined ? name : `${name} in ${where}`;
}

/**
 * Names the function `fn` given its ancestors (outermost first), the place of
 * the nearest enclosing function (its {@link FunctionName.place}) and class.
 * Named closures carry their place (`check in Server.attach`): alone, two
 * `callback`s of one file, or a closure `onPacket` beside `Socket.onPacket`,
 * could not be told apart.
 */
export function nameFunction(
  fn: AstNode,
  ancestors: readonly AstNode[],
  enclosing: string | undefined,
  enclosingClass: string | undefined,
  moduleName = "module",
): FunctionName {
  const naming = ownName(fn, ancestors, enclosing, enclosingClass, moduleName);
  const place = naming.anonymous ? enclosing : naming.name;
  return { ...naming, place };
}

function ownName(
  fn: AstNode,
  ancestors: readonly AstNode[],
  enclosing: string | undefined,
  enclosingClass: string | undefined,
  moduleName: string,
): Omit<FunctionName, "place"> {
  const parent = ancestors[ancestors.length - 1];
  const grand = ancestors[ancestors.length - 2];
  const arrow = fn.type === "ArrowFunctionExpression";
  const baseKind: FunctionKind = arrow ? "arrow" : "function";

  if (parent?.type === "MethodDefinition" && grand) {
    const cls = className(ancestors[ancestors.length - 3] ?? grand, ancestors[ancestors.length - 4]);
    const member = keyName(parent.key as AstNode, parent.computed) ?? "[computed]";
    const owner = cls ?? enclosing ?? "<class>";
    if (parent.kind === "constructor") return { name: `${owner}.constructor`, kind: "constructor", className: cls, member: "constructor", anonymous: false };
    if (parent.kind === "get") return { name: `get ${owner}.${member}`, kind: "getter", className: cls, member, anonymous: false };
    if (parent.kind === "set") return { name: `set ${owner}.${member}`, kind: "setter", className: cls, member, anonymous: false };
    return { name: `${owner}.${member}`, kind: "method", className: cls, member, anonymous: false };
  }
  if (parent?.type === "PropertyDefinition") {
    const cls = className(ancestors[ancestors.length - 3] ?? grand!, ancestors[ancestors.length - 4]);
    const member = keyName(parent.key as AstNode, parent.computed) ?? "[computed]";
    return { name: `${cls ?? "<class>"}.${member}`, kind: "method", className: cls, member, anonymous: false };
  }
  const assigned = parent?.type === "AssignmentExpression" && parent.right === fn ? fromAssignment(parent.left as AstNode, enclosingClass) : undefined;
  if (assigned?.className) return { ...assigned, kind: "method", anonymous: false };
  const ownId = fn.id as AstNode | null | undefined;
  if (ownId) {
    return { name: placed(ownId.name as string, enclosing), kind: enclosing ? "closure" : baseKind, member: ownId.name as string, anonymous: false };
  }
  if (parent?.type === "VariableDeclarator") {
    const id = parent.id as AstNode;
    if (id.type === "Identifier") {
      return { name: placed(id.name as string, enclosing), kind: enclosing ? "closure" : baseKind, member: id.name as string, anonymous: false };
    }
  }
  if (assigned) return { ...assigned, name: placed(assigned.name, enclosing), kind: enclosing ? "closure" : baseKind, anonymous: false };
  if (parent?.type === "Property" && grand?.type === "ObjectExpression") {
    const call = ancestors[ancestors.length - 3];
    const args = call?.type === "CallExpression" && memberText(call.callee as AstNode) === "Object.defineProperty" ? (call.arguments as AstNode[]) : undefined;
    const exported = args?.[1];
    if (exported?.type === "Literal" && args?.[2] === grand) {
      const target = memberText(args[0]) ?? "object";
      const key = keyName(parent.key as AstNode, parent.computed);
      return { name: `${key === "get" ? "get" : key ?? "accessor"} ${target}.${String(exported.value)}`, kind: key === "set" ? "setter" : "getter", member: String(exported.value), anonymous: false };
    }
  }
  const where = enclosing ?? moduleName;
  if (parent?.type === "Property" && grand?.type === "ObjectExpression") {
    const key = keyName(parent.key as AstNode, parent.computed) ?? "[computed]";
    const accessor = parent.kind === "get" || parent.kind === "set";
    const kind: FunctionKind = parent.kind === "get" ? "getter" : parent.kind === "set" ? "setter" : parent.method ? "method" : baseKind;
    const holder = holderName(ancestors.slice(0, -2), enclosingClass);
    if (holder !== undefined) return { name: placed(`${holder}.${key}`, enclosing), kind, member: key, anonymous: false };
    const label = parent.method || accessor ? `${key} method` : key;
    return { name: `<anonymous ${label} in ${where}>`, kind, anonymous: true };
  }
  if ((parent?.type === "CallExpression" || parent?.type === "NewExpression") && (parent.arguments as AstNode[]).includes(fn)) {
    return { name: `<anonymous ${callbackRole(parent)} in ${where}>`, kind: "closure", anonymous: true };
  }
  if (parent?.type === "CallExpression" && unparenthesized(parent.callee as AstNode) === fn) return { name: `<anonymous IIFE in ${where}>`, kind: "closure", anonymous: true };
  if (parent?.type === "ReturnStatement") return { name: `<anonymous returned function in ${where}>`, kind: "closure", anonymous: true };
  return { name: `<anonymous in ${where}>`, kind: "closure", anonymous: true };
}

/** The name an object literal is bound to (`handlers` in `var handlers = {…}`), for `handlers.open`; `ancestors` ends with the literal's parent. */
function holderName(ancestors: readonly AstNode[], enclosingClass: string | undefined): string | undefined {
  const parent = ancestors[ancestors.length - 1];
  if (!parent) return undefined;
  if (parent.type === "VariableDeclarator") {
    const id = parent.id as AstNode;
    return id.type === "Identifier" ? (id.name as string) : undefined;
  }
  if (parent.type === "AssignmentExpression") return fromAssignment(parent.left as AstNode, enclosingClass)?.name;
  if (parent.type === "Property" && ancestors[ancestors.length - 2]?.type === "ObjectExpression") {
    const outer = holderName(ancestors.slice(0, -2), enclosingClass);
    const key = keyName(parent.key as AstNode, parent.computed);
    return outer !== undefined && key !== undefined ? `${outer}.${key}` : undefined;
  }
  return undefined;
}

const FUNCTION_NODES = new Set(["FunctionDeclaration", "FunctionExpression", "ArrowFunctionExpression"]);

/** True when `body` assigns to the variable `name` anywhere (then its value at call time is not the one it had). */
function reassigns(body: AstNode, name: string): boolean {
  const pending: unknown[] = [body];
  while (pending.length) {
    const node = pending.pop() as AstNode;
    if ((node.type === "AssignmentExpression" && (node.left as AstNode).type === "Identifier" && (node.left as AstNode).name === name) ||
        (node.type === "UpdateExpression" && (node.argument as AstNode).type === "Identifier" && (node.argument as AstNode).name === name)) {
      return true;
    }
    for (const key in node) {
      const value = node[key];
      for (const child of Array.isArray(value) ? value : [value]) {
        if (typeof child === "object" && child !== null && typeof (child as AstNode).type === "string") pending.push(child);
      }
    }
  }
  return false;
}

/**
 * For `X.prototype[fn] = function…` where `fn` is a parameter of the enclosing
 * function, never reassigned (socket.io defines its EventEmitter delegates in a
 * `forEach` over method names): the variable whose value, read when the
 * function runs, is the member that ran. Each call of the enclosing function
 * has its own `fn`, so the value read is the one the slot was filled with.
 */
export function slotVariable(fn: AstNode, ancestors: readonly AstNode[]): string | undefined {
  const parent = ancestors[ancestors.length - 1];
  if (parent?.type !== "AssignmentExpression" || parent.right !== fn) return undefined;
  const left = parent.left as AstNode;
  const key = left.property as AstNode | undefined;
  if (left.type !== "MemberExpression" || !left.computed || key?.type !== "Identifier") return undefined;
  if (!memberText(left.object as AstNode)?.endsWith(".prototype")) return undefined;
  const outer = [...ancestors].reverse().find((a) => FUNCTION_NODES.has(a.type));
  const name = key.name as string;
  const param = (outer?.params as AstNode[] | undefined)?.some((p) => p.type === "Identifier" && p.name === name);
  return outer && param && !reassigns(outer.body as AstNode, name) ? name : undefined;
}

/** The name of one member filled by a loop-defined function: `Server.on (Server[fn])`. */
export function slotName(className: string, key: string, declared: string): string {
  return `${className}.${key} (${declared})`;
}
